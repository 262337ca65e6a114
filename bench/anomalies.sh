#!/usr/bin/env bash
# Anomaly job throughput on this machine, for each size in SIZES (default: 4M and 20M generated
# events over 90 days, the second 5x the first): a daily run (the last day against its four weeks of history) and a backfill of
# every day but the first, each with windows/s, events/s and peak memory; and in the same
# invocation DuckDB doing the same aggregation (and a simpler weekly scoring) from the same
# Parquet for the backfill's days. Prints the ratio. A measurement, not a test.
# Override: SIZES="1000000", DAYS=90, THREADS (DuckDB), FRAUD_BATCH_JAVA_OPTS (job JVM, e.g. -Xmx8g).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"4000000 20000000"}
DAYS=${DAYS:-90}
THREADS=${THREADS:-$(nproc)}
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench-anomalies.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
. bench/lib.sh

bin/fraud-batch anomalies --help >/dev/null   # builds on first use
bin/fraud-batch ingest --help >/dev/null
DUCKDB_JAR=$(duckdb_jar "$WORK/lib")
RATES=core/src/main/resources/io/fraudbatch/core/money/reference-rates.csv


anomalies() { # $1 = label, rest = job args; prints one line, sets LAST_EPS / LAST_WPS
  local label=$1; shift
  /usr/bin/time -v -o "$WORK/time" bin/fraud-batch anomalies --root "$ROOT" --summary-json "$WORK/run.json" "$@" \
    >"$WORK/out" 2>"$WORK/log" || { cat "$WORK/out" "$WORK/log" >&2; exit 1; }
  local read ms windows
  read=$(json "$WORK/run.json" eventsRead)
  ms=$(json "$WORK/run.json" durationMs)
  windows=$(grep -o '"windows" *: *[0-9]*' "$WORK/run.json" | awk -F: '{ s += $2 } END { print s + 0 }')
  LAST_SECS=$(calc "$ms / 1000")
  LAST_EPS=$(calc "$read / ($ms / 1000)")
  LAST_WPS=$(calc "$windows / ($ms / 1000)")
  printf '%-30s %7.1f s %9.0f windows/s %9.0f events/s  (%s windows, %s events scored; %s; process wall %s s; peak RSS %s MB, target <= 2048)\n' \
    "$label" "$(calc "$ms / 1000")" "$LAST_WPS" "$LAST_EPS" "$windows" "$read" \
    "$(grep -o '[0-9,]* anomalies in [0-9,]* windows' "$WORK/out")" "$(wall_s "$WORK/time")" "$(peak_mb "$WORK/time")"
}

echo "$(machine); sizes: $SIZES; days: $DAYS"
T_JOB=""; T_DUCK=""
for EVENTS in $SIZES; do
  ROOT="$WORK/data-$EVENTS"
  ACTORS=$(( EVENTS / 60 ))
  echo "=== $EVENTS events, $ACTORS actors, $DAYS days"
  # Days that ended before now: ingest leaves files "modified" in the future alone (too young).
  bin/fraud-batch generate --root "$ROOT" --events "$EVENTS" --actors "$ACTORS" --days "$DAYS" \
    --start "$(date -u -d "-$(( DAYS + 2 )) days" +%F)" --formats sequencefile,datastream,avro -q >"$WORK/gen.out"
  head -1 "$WORK/gen.out"
  bin/fraud-batch ingest --root "$ROOT" --min-age-seconds 0 >"$WORK/ingest.out" 2>&1 || { cat "$WORK/ingest.out" >&2; exit 1; }
  echo "$(grep -m1 '^ingest .* files (' "$WORK/ingest.out")"
  days=$(ls "$ROOT/warehouse/decisions" | sed -n 's/^dt=//p' | sort)
  first=$(echo "$days" | sed -n 2p)
  last=$(echo "$days" | tail -1)
  anomalies "daily ($last)" --date "$last"
  anomalies "backfill ($first..$last)" --date "$first..$last"
  job_eps=$LAST_EPS; job_wps=$LAST_WPS; T_JOB="$T_JOB $LAST_SECS"
  grep -A12 '^scenario' "$WORK/out" || true
  /usr/bin/time -v -o "$WORK/time" "$JAVA" -cp "$DUCKDB_JAR" bench/DuckDbAnomalies.java \
    "$ROOT/warehouse/decisions" "$RATES" "$first" "$WORK/duck.parquet" "$THREADS" >"$WORK/duck.out"
  duck_eps=$(sed -E 's/.* ([0-9.]+) events\/s$/\1/' "$WORK/duck.out")
  duck_wps=$(sed -E 's/.*: ([0-9.]+) windows\/s.*/\1/' "$WORK/duck.out")
  T_DUCK="$T_DUCK $(sed -E 's/.* in ([0-9.]+) s.*/\1/' "$WORK/duck.out")"
  printf '%s (threads=%s; process wall %s s; peak RSS %s MB)\n' "$(cat "$WORK/duck.out")" "$THREADS" \
    "$(wall_s "$WORK/time")" "$(peak_mb "$WORK/time")"
  printf 'ratio job/duckdb (backfill): events/s %.2f, windows/s %.2f  (target >= 0.3)\n' \
    "$(calc "$job_eps / $duck_eps")" "$(calc "$job_wps / $duck_wps")"
  rm -rf "$ROOT"
done
growth "anomalies backfill" "$SIZES" "$T_JOB"
growth "duckdb (reference)" "$SIZES" "$T_DUCK"
