#!/usr/bin/env bash
# Runs the shaded job jars exactly as `hadoop jar` does (org.apache.hadoop.util.RunJar) on a classpath
# of Hadoop 3.3.6's own client jars (resolved without this project's version pins, so with Hadoop's
# Avro 1.7.7, Jackson 2.12 and reload4j), against freshly generated landing data: the ingest job jar,
# then the batch-jobs job jar's MapReduce profile job (no Spark on that classpath: the MapReduce
# engine must not need it), then the profile-builder job jar's bulk load (HFiles generated in its process) with
# HBase's MapReduce jars added as `HADOOP_CLASSPATH=$(hbase mapredcp)` adds them, into a local HBase.
# Proves each job jar brings everything it needs and that the relocated Avro/Jackson do not clash
# with the cluster's.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d /tmp/hadoop-jar-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
./mvnw -q -B -ntp -DskipTests -Dspotless.check.skip=true -pl ingest,batch-jobs,profile-builder -am package
cat > "$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>smoke</groupId><artifactId>hadoop-classpath</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client</artifactId><version>3.3.6</version></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-mapreduce-client-common</artifactId><version>3.3.6</version></dependency>
  </dependencies>
</project>
POM
./mvnw -q -B -ntp -f "$WORK/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
# What `hbase mapredcp` lists: HBase's client and MapReduce jars (hbase-mapreduce and its deps).
mkdir -p "$WORK/hbase-cp"
sed -e 's/<artifactId>hadoop-classpath</<artifactId>hbase-classpath</' \
  -e 's#<dependencies>#<dependencies><dependency><groupId>org.apache.hbase</groupId><artifactId>hbase-mapreduce</artifactId><version>2.6.1-hadoop3</version><exclusions><exclusion><groupId>org.apache.hadoop</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>#' \
  -e '/hadoop-client\|hadoop-mapreduce-client-common/d' "$WORK/pom.xml" >"$WORK/hbase-cp/pom.xml"
./mvnw -q -B -ntp -f "$WORK/hbase-cp/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/hbase-cp.txt"
bin/fraud-batch generate --root "$WORK/root" --days 2 --actors 200 -q
java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp "$(cat "$WORK/cp.txt")" org.apache.hadoop.util.RunJar \
  ingest/target/fraud-batch-ingest-job.jar --root "$WORK/root" --min-age-seconds 0
java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp "$(cat "$WORK/cp.txt")" org.apache.hadoop.util.RunJar \
  batch-jobs/target/fraud-batch-batch-jobs-job.jar --root "$WORK/root" --engine mapreduce
ls "$WORK/root/warehouse/profiles/" | grep -q '^as_of=' || { echo "hadoop-jar smoke: no profile snapshot" >&2; exit 1; }
bin/fraud-batch hbase --dir "$WORK/hbase" --port 0 --ready-file "$WORK/hbase.ready" >"$WORK/hbase.log" 2>&1 &
hbase_pid=$!
trap 'kill $hbase_pid 2>/dev/null || true; wait $hbase_pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 120); do [ -s "$WORK/hbase.ready" ] && break; sleep 1; done
[ -s "$WORK/hbase.ready" ] || { tail -20 "$WORK/hbase.log" >&2; echo "hadoop-jar smoke: HBase did not start" >&2; exit 1; }
java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  -cp "$(cat "$WORK/cp.txt"):$(cat "$WORK/hbase-cp.txt")" org.apache.hadoop.util.RunJar \
  profile-builder/target/fraud-batch-profile-builder-job.jar load --root "$WORK/root" \
  --zookeeper "$(cat "$WORK/hbase.ready")" | tee "$WORK/load.out"
grep -q 'loaded in .*; reconciled' "$WORK/load.out" || { echo "hadoop-jar smoke: the load did not reconcile" >&2; exit 1; }
echo "hadoop-jar smoke: OK (ingest, the MapReduce profile job and the HBase bulk load, job jars alone)"
