#!/usr/bin/env bash
# profile-builder's bulk load on this machine, at each size of SIZES (default 1M and 5M synthetic
# profiles, a fresh JVM each): loaded into an HBase mini cluster (master, region server, HDFS,
# ZooKeeper in one JVM) with the load command (HFiles generated in its process + BulkLoadHFiles),
# and in the same JVM the same rows with BufferedMutator puts; then p50/p99 of random point gets
# through ProfileStore. Prints rows/s, MB/s, the ratio, and the growth between the sizes. A
# measurement, not a test. Override: SIZES="1000000 5000000" (profiles) GETS=10000 COMPRESSION=GZ (default: the load's)
# FRAUD_BATCH_JAVA_OPTS (e.g. -Xmx8g).
set -euo pipefail
cd "$(dirname "$0")/.."
# Sizes in profiles (the second 5x the first; the growth between them is printed).
SIZES=${SIZES:-${ACTORS:-"1000000 5000000"}}
GETS=${GETS:-10000}
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench-load.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
. bench/lib.sh
read -r -a ADD_OPENS <<<"$(sed -n 's:.*<jdk17.add-opens>\(.*\)</jdk17.add-opens>.*:\1:p' pom.xml)"

./mvnw -B -q -ntp -pl profile-builder -am install -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -ntp -pl profile-builder test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp" -Dspotless.check.skip=true
CP="profile-builder/target/test-classes:profile-builder/target/classes:$(cat "$WORK/cp")"
echo "$(machine); sizes: $SIZES profiles; $GETS gets"
T_LOAD=""; T_PUTS=""
for ACTORS in $SIZES; do
  echo "=== $ACTORS profiles"
  rm -rf "$WORK/data"
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$WORK/time" "$JAVA" "${ADD_OPENS[@]}" -Xmx6g ${FRAUD_BATCH_JAVA_OPTS:-} \
    -Djava.io.tmpdir="$WORK" ${COMPRESSION:+-Dcompression=$COMPRESSION} -cp "$CP" io.fraudbatch.profilebuilder.LoadBenchmark "$WORK/data" "$ACTORS" "$GETS" \
    >"$WORK/out" 2>"$WORK/log" || { cat "$WORK/out"; tail -50 "$WORK/log" >&2; exit 1; }
  cat "$WORK/out"
  echo "(process wall $(wall_s "$WORK/time") s; peak RSS $(peak_mb "$WORK/time") MB, mini cluster included)"
  T_LOAD="$T_LOAD $(sed -n -E 's/^bulk load .* rows in ([0-9.]+) s:.*/\1/p' "$WORK/out")"
  T_PUTS="$T_PUTS $(sed -n -E 's/^BufferedMutator puts: .* rows in ([0-9.]+) s .*/\1/p' "$WORK/out")"
done
growth "bulk load" "$SIZES" "$T_LOAD" profiles
growth "puts (reference)" "$SIZES" "$T_PUTS" profiles
