#!/usr/bin/env bash
# Throughput of the ingest job (`bin/fraud-batch ingest`: the local engine, one JVM) for each size in SIZES (default: 2M and 10M
# generated events, the second 5x the first; the growth factor between them), and in the same
# invocation the reference: DuckDB converting the same JSON-lines files (read_json -> DISTINCT ON
# (eventId) -> Parquet zstd, one directory per day), with the ratio and each side's peak memory.
# Override: SIZES=..., THREADS=... (DuckDB threads; default: all cores), MAPREDUCE=1 (also run the
# MapReduce job on the same files, fraud.ingest.engine=mapreduce, for the engines' ratio),
# FRAUD_BATCH_JAVA_OPTS=... (ingest JVM options). A measurement, not a test: nothing here fails on a
# slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-${EVENTS:-"2000000 10000000"}}
THREADS=${THREADS:-$(nproc)}
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench-ingest.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
. bench/lib.sh

bin/fraud-batch ingest --help >/dev/null   # builds on first use
DUCKDB_JAR=$(duckdb_jar "$WORK/lib")
DUCKDB_VERSION=$(basename "$DUCKDB_JAR" .jar | sed 's/^duckdb_jdbc-//')

# DuckDB's JDBC driver, at the version the parent POM manages (one place for versions).


echo "$(machine); sizes: $SIZES"
T_INGEST=""; T_DUCK=""
for EVENTS in $SIZES; do
  ACTORS=$(( EVENTS / 66 ))
  echo "=== $EVENTS events, $ACTORS actors"
  rm -rf "$WORK/data" "$WORK/data-duckdb" "$WORK/duckdb-out"
  echo "generating $EVENTS events as plain JSON lines (Flume DataStream) ..."
  bin/fraud-batch generate --root "$WORK/data" --events "$EVENTS" --actors "$ACTORS" \
    --formats datastream -q >"$WORK/generate.out"
  head -1 "$WORK/generate.out"
  bytes=$(find "$WORK/data/landing" -type f -name 'FlumeData.*' ! -name '*.tmp' -printf '%s\n' | awk '{ s += $1 } END { print s }')
  printf 'landing: %.1f MB of closed JSON-lines files\n' "$(calc "$bytes / 1000000")"
  cp -r "$WORK/data" "$WORK/data-duckdb"   # each side reads its own copy; neither warms the other
  sync

  echo "--- ingest (bin/fraud-batch ingest; engine auto: local) ---"
  /usr/bin/time -v -o "$WORK/ingest.time" \
    bin/fraud-batch ingest --root "$WORK/data" --min-age-seconds 0 >"$WORK/ingest.out" 2>"$WORK/ingest.log" \
    || { cat "$WORK/ingest.out" "$WORK/ingest.log" >&2; exit 1; }
  cat "$WORK/ingest.out"
  ingest_line=$(grep -m1 '^ingest .* files (' "$WORK/ingest.out")
  ingest_secs=$(echo "$ingest_line" | sed -E 's/.* in ([0-9.]+) s;.*/\1/')
  ingest_read=$(echo "$ingest_line" | sed -E 's/.*; read ([0-9,]+),.*/\1/' | tr -d ,)
  ingest_eps=$(calc "$ingest_read / $ingest_secs")
  printf 'ingest: %.0f events/s, %.1f MB/s (job clock); process wall %s s incl. JVM start; peak RSS %s MB (target <= 2048)\n' \
    "$ingest_eps" "$(calc "$bytes / 1000000 / $ingest_secs")" "$(wall_s "$WORK/ingest.time")" "$(peak_mb "$WORK/ingest.time")"

  grep -E '^ingest: local engine:' "$WORK/ingest.log" || echo "(the local engine did not run: $(grep -m1 'MapReduce job instead' "$WORK/ingest.log"))"
  if [ "${MAPREDUCE:-0}" = 1 ]; then
    echo "--- ingest, MapReduce job (fraud.ingest.engine=mapreduce, local runner) ---"
    rm -rf "$WORK/data-mr" && cp -r "$WORK/data-duckdb" "$WORK/data-mr"
    /usr/bin/time -v -o "$WORK/mr.time" \
      bin/fraud-batch ingest -D fraud.ingest.engine=mapreduce --root "$WORK/data-mr" --min-age-seconds 0 >"$WORK/mr.out" 2>"$WORK/mr.log" \
      || { cat "$WORK/mr.out" "$WORK/mr.log" >&2; exit 1; }
    mr_secs=$(grep -m1 '^ingest .* files (' "$WORK/mr.out" | sed -E 's/.* in ([0-9.]+) s;.*/\1/')
    printf 'mapreduce: %s s (job clock), peak RSS %s MB; local engine / mapreduce time: %.2f\n' \
      "$mr_secs" "$(peak_mb "$WORK/mr.time")" "$(calc "$ingest_secs / $mr_secs")"
    rm -rf "$WORK/data-mr"
  fi
  echo "--- reference: DuckDB $DUCKDB_VERSION, threads=$THREADS ---"
  /usr/bin/time -v -o "$WORK/duckdb.time" \
    "$JAVA" -cp "$DUCKDB_JAR" bench/DuckDbConvert.java "$WORK/data-duckdb/landing" "$WORK/duckdb-out" "$THREADS" \
    >"$WORK/duckdb.out"
  cat "$WORK/duckdb.out"
  duck_line=$(grep -m1 '^duckdb:' "$WORK/duckdb.out")
  duck_secs=$(echo "$duck_line" | sed -E 's/.* in ([0-9.]+) s;.*/\1/')
  duck_read=$(echo "$duck_line" | sed -E 's/.*parsed ([0-9,]+) lines.*/\1/' | tr -d ,)
  duck_eps=$(calc "$duck_read / $duck_secs")
  printf 'duckdb: process wall %s s incl. JVM start and source compile; peak RSS %s MB\n' \
    "$(wall_s "$WORK/duckdb.time")" "$(peak_mb "$WORK/duckdb.time")"
  printf 'output: ingest %s MB of Parquet, duckdb %s MB\n' \
    "$(du -sm "$WORK/data/warehouse/decisions" | cut -f1)" "$(du -sm "$WORK/duckdb-out" | cut -f1)"
  printf 'ratio ingest/duckdb (events/s): %.2f  (target >= 0.5)\n' "$(calc "$ingest_eps / $duck_eps")"
  T_INGEST="$T_INGEST $ingest_secs"; T_DUCK="$T_DUCK $duck_secs"
done
growth "ingest" "$SIZES" "$T_INGEST"
growth "duckdb (reference)" "$SIZES" "$T_DUCK"
