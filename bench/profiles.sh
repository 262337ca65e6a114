#!/usr/bin/env bash
# Profile job throughput on this machine, for each size in SIZES (default: 4M and 20M generated
# events over 90 days, the second 5x the first): full recompute on Spark (local[*]) and on MapReduce (local runner), an
# incremental update of the last day over the rest (on Spark and on the local engine), each with its peak memory, and in the same
# invocation DuckDB computing the core aggregates (counts, sums, daily spend stats, last-20 places)
# from the same Parquet, and the same aggregates hand-written in Spark SQL (SparkSqlProfiles.java).
# Prints the ratios, and the growth of each time between the sizes. A measurement, not a test.
# Override: SIZES="1000000", DAYS=90, THREADS (DuckDB), FRAUD_BATCH_JAVA_OPTS (job JVMs, e.g. -Xmx8g).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"4000000 20000000"}
DAYS=${DAYS:-90}
THREADS=${THREADS:-$(nproc)}
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench-profiles.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
. bench/lib.sh

bin/fraud-batch profiles --help >/dev/null   # builds on first use
bin/fraud-batch ingest --help >/dev/null
DUCKDB_JAR=$(duckdb_jar "$WORK/lib")
RATES=core/src/main/resources/io/fraudbatch/core/money/reference-rates.csv


profiles() { # $1 = label, rest = profile job args; prints one line, sets LAST_SECS / LAST_EPS
  local label=$1; shift
  /usr/bin/time -v -o "$WORK/time" bin/fraud-batch profiles --root "$ROOT" --summary-json "$WORK/run.json" "$@" \
    >"$WORK/out" 2>"$WORK/log" || { cat "$WORK/out" "$WORK/log" >&2; exit 1; }
  local read ms
  read=$(json "$WORK/run.json" eventsRead)
  ms=$(json "$WORK/run.json" durationMs)
  LAST_SECS=$(calc "$ms / 1000")
  LAST_EPS=$(calc "$read / ($ms / 1000)")
  printf '%-34s %9.1f s %10.0f events/s  (%s events read; process wall %s s; peak RSS %s MB, target <= 2048)\n' \
    "$label" "$LAST_SECS" "$LAST_EPS" "$read" "$(wall_s "$WORK/time")" "$(peak_mb "$WORK/time")"
}

echo "$(machine); sizes: $SIZES; days: $DAYS"
T_SPARK=""; T_MR=""; T_INC=""; T_LOCAL=""; T_DUCK=""; T_SQL=""
read -r -a ADD_OPENS <<<"$(sed -n 's:.*<jdk17.add-opens>\(.*\)</jdk17.add-opens>.*:\1:p' pom.xml)"
for EVENTS in $SIZES; do
  ROOT="$WORK/data-$EVENTS"
  ACTORS=$(( EVENTS / 60 ))
  echo "=== $EVENTS events, $ACTORS actors, $DAYS days"
  # Days that ended before now: the generator dates files by their landing hour, and ingest leaves
  # files "modified" in the future alone (too young).
  bin/fraud-batch generate --root "$ROOT" --events "$EVENTS" --actors "$ACTORS" --days "$DAYS" \
    --start "$(date -u -d "-$(( DAYS + 2 )) days" +%F)" --formats sequencefile,datastream,avro -q >"$WORK/gen.out"
  head -1 "$WORK/gen.out"
  bin/fraud-batch ingest --root "$ROOT" --min-age-seconds 0 >"$WORK/ingest.out" 2>&1 || { cat "$WORK/ingest.out" >&2; exit 1; }
  last=$(ls "$ROOT/warehouse/decisions" | sed -n 's/^dt=//p' | sort | tail -1)
  echo "$(grep -m1 '^ingest .* files (' "$WORK/ingest.out")"
  profiles "spark full (as of $last)" --engine spark --mode full --as-of "$last"
  spark_secs=$LAST_SECS; spark_eps=$LAST_EPS; T_SPARK="$T_SPARK $LAST_SECS"
  profiles "mapreduce full (as of $last)" --engine mapreduce --mode full --as-of "$last"
  mr_eps=$LAST_EPS; T_MR="$T_MR $LAST_SECS"
  # Incremental: the snapshot as of the day before plus the last day's rows.
  prev=$(date -u -d "$last - 1 day" +%F)
  profiles "spark full (as of $prev)" --engine spark --mode full --as-of "$prev" >/dev/null
  rm -rf "$ROOT/warehouse/profiles/as_of=$last"   # else the update starts from that day's own snapshot
  profiles "spark incremental (+ $last)" --engine spark --mode incremental --as-of "$last"
  inc_secs=$LAST_SECS; T_INC="$T_INC $LAST_SECS"
  # The same update on the local engine (one JVM, no Spark session: the daily case).
  rm -rf "$ROOT/warehouse/profiles/as_of=$last"
  profiles "local incremental (+ $last)" --engine local --mode incremental --as-of "$last"
  local_secs=$LAST_SECS; T_LOCAL="$T_LOCAL $LAST_SECS"
  [ "$(json "$WORK/run.json" engine)" = local ] || { echo "the local engine handed the run to spark" >&2; exit 1; }
  /usr/bin/time -v -o "$WORK/time" "$JAVA" -cp "$DUCKDB_JAR" bench/DuckDbProfiles.java \
    "$ROOT/warehouse/decisions" "$RATES" "$last" "$WORK/duck.parquet" "$THREADS" >"$WORK/duck.out"
  duck_eps=$(sed -E 's/.*: ([0-9.]+) events\/s$/\1/' "$WORK/duck.out")
  T_DUCK="$T_DUCK $(sed -E 's/.* in ([0-9.]+) s.*/\1/' "$WORK/duck.out")"
  printf '%s (threads=%s; process wall %s s; peak RSS %s MB)\n' "$(cat "$WORK/duck.out")" "$THREADS" \
    "$(wall_s "$WORK/time")" "$(peak_mb "$WORK/time")"
  # Second reference: the same aggregates hand-written in Spark SQL, same engine, same heap and collector.
  /usr/bin/time -v -o "$WORK/time" "$JAVA" "${ADD_OPENS[@]}" "-Xmx${FRAUD_BATCH_HEAP:-1536m}" $BATCH_GC \
    -cp "batch-jobs/target/fraud-batch-batch-jobs.jar:batch-jobs/target/lib/*" bench/SparkSqlProfiles.java \
    "$ROOT/warehouse/decisions" "$RATES" "$last" "$WORK/sql.parquet" >"$WORK/sql.out" 2>"$WORK/sql.log" \
    || { tail -30 "$WORK/sql.log" >&2; exit 1; }
  sql_secs=$(sed -E 's/.* in ([0-9.]+) s.*/\1/' "$WORK/sql.out"); T_SQL="$T_SQL $sql_secs"
  printf '%s (process wall %s s; peak RSS %s MB)\n' "$(cat "$WORK/sql.out")" "$(wall_s "$WORK/time")" "$(peak_mb "$WORK/time")"
  printf 'ratio spark/duckdb (events/s, full): %.2f  (target >= 0.5 at 4M)\n' "$(calc "$spark_eps / $duck_eps")"
  printf 'ratio spark job/spark-sql reference (speed, full): %.2f  (target >= 1.5)\n' "$(calc "$sql_secs / $spark_secs")"
  printf 'ratio mapreduce/spark (time, full): %.2f  (target <= 1.5)\n' "$(calc "$(echo "$T_MR" | awk '{print $NF}') / $spark_secs")"
  printf 'ratio mapreduce/duckdb (events/s, full): %.2f\n' "$(calc "$mr_eps / $duck_eps")"
  printf 'ratio incremental/full (time, spark): %.2f\n' "$(calc "$inc_secs / $spark_secs")"
  printf 'ratio incremental/full (time, local incremental / spark full): %.2f  (target <= 0.15)\n' "$(calc "$local_secs / $spark_secs")"
  rm -rf "$ROOT"
done
growth "spark full" "$SIZES" "$T_SPARK"
growth "mapreduce full" "$SIZES" "$T_MR"
growth "spark incremental" "$SIZES" "$T_INC"
growth "local incremental" "$SIZES" "$T_LOCAL"
growth "duckdb (reference)" "$SIZES" "$T_DUCK"
growth "spark-sql (reference)" "$SIZES" "$T_SQL"
