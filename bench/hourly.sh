#!/usr/bin/env bash
# What one hourly ingest run costs once its day is already published, at each size of SIZES
# (default 2M and 4M events over two days; the growth between them): the events are ingested but
# for the last landing hour; then that hour alone is ingested twice, from two copies of the root:
#   - rewrite: fraud.ingest.compact-small-files=0, the days read back whole, shuffled and rewritten
#     (the behaviour before 2026-12-03, and what a compaction run does);
#   - append: the default, only the published rows' eventIds read back, the new rows written beside
#     the days' files.
# Prints each run's time, peak RSS, what it read back, the ratio, and the growth of each between
# the sizes. A measurement, not a test. Override: SIZES="...", FRAUD_BATCH_JAVA_OPTS=... (JVM
# options). The generator holds a day in memory: above about 2.2M events a day it stops with
# exit code 2 until FRAUD_BATCH_HEAP is raised (which the ingest runs then get too).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-${EVENTS:-"2000000 4000000"}}
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench-hourly.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
. bench/lib.sh

bin/fraud-batch ingest --help >/dev/null   # builds on first use
echo "$(machine); sizes: $SIZES events over 2 days"
T_REWRITE=""; T_APPEND=""
for EVENTS in $SIZES; do
  echo "=== $EVENTS events"
  rm -rf "$WORK/data" "$WORK/held" "$WORK/rewrite" "$WORK/append"
  bin/fraud-batch generate --root "$WORK/data" --events "$EVENTS" --actors $((EVENTS / 66)) --days 2 \
    --formats datastream --no-truncated-file -q >"$WORK/generate.out"
  head -1 "$WORK/generate.out"
  # Flume has closed every file; the last hour is held back for the measured run.
  find "$WORK/data/landing" -name '*.tmp' | while read -r f; do mv "$f" "${f%.tmp}"; done
  last=$(find "$WORK/data/landing" -mindepth 5 -maxdepth 5 -type d | sort | tail -1)
  mkdir -p "$WORK/held"
  mv "$last" "$WORK/held/hour"
  bin/fraud-batch ingest --root "$WORK/data" --min-age-seconds 0 >"$WORK/first.out" 2>"$WORK/first.log" \
    || { cat "$WORK/first.out" "$WORK/first.log" >&2; exit 1; }
  echo "published first: $(grep -m1 '^ingest .* files (' "$WORK/first.out")"
  for side in rewrite append; do
    cp -a "$WORK/data" "$WORK/$side"
    cp -a "$WORK/held/hour" "$WORK/$side/${last#"$WORK/data/"}"
  done
  sync
  echo "the held-back hour: $(find "$WORK/held/hour" -type f | wc -l) file(s), $(du -sk "$WORK/held/hour" | cut -f1) kB"
  T=()
  for side in rewrite append; do
    opts=()
    [ "$side" = rewrite ] && opts=(-D fraud.ingest.compact-small-files=0)
    /usr/bin/time -v -o "$WORK/$side.time" bin/fraud-batch ingest "${opts[@]}" --root "$WORK/$side" \
      --min-age-seconds 0 >"$WORK/$side.out" 2>"$WORK/$side.log" \
      || { cat "$WORK/$side.out" "$WORK/$side.log" >&2; exit 1; }
    line=$(grep -m1 '^ingest .* files (' "$WORK/$side.out")
    secs=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s;.*/\1/')
    T+=("$secs")
    printf '%-8s %6.1f s (job clock), process wall %s s, peak RSS %s MB; %s\n' "$side" "$secs" \
      "$(wall_s "$WORK/$side.time")" "$(peak_mb "$WORK/$side.time")" \
      "$(grep -o 'published days for dedup ([^)]*)' "$WORK/$side.log" | head -1)"
    echo "         $line"
  done
  printf 'ratio append/rewrite: %.2f (the rewrite reads its days back whole, the append their ids only)\n' \
    "$(calc "${T[1]} / ${T[0]}")"
  T_REWRITE="$T_REWRITE ${T[0]}"; T_APPEND="$T_APPEND ${T[1]}"
done
growth "hourly run, rewrite" "$SIZES" "$T_REWRITE"
growth "hourly run, append" "$SIZES" "$T_APPEND"
