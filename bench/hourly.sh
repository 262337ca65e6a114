#!/usr/bin/env bash
# What one hourly ingest run costs once its day is already published: EVENTS generated events over
# two days (default 2M) are ingested but for the last landing hour; then that hour alone is ingested
# twice, from two copies of the root, in the same invocation:
#   - rewrite: fraud.ingest.compact-small-files=0, the day read back whole, shuffled and rewritten
#     (the behaviour before 2026-12-03, and what a compaction run does);
#   - append: the default, only the published rows' eventIds read back, the new rows written beside
#     the day's files.
# Prints each run's time, what it read and wrote, and the ratio. A measurement, not a test.
# Override: EVENTS=..., FRAUD_BATCH_JAVA_OPTS=... (ingest JVM options).
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-2000000}
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench-hourly.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
. bench/lib.sh

bin/fraud-batch ingest --help >/dev/null   # builds on first use
echo "$(machine); $EVENTS events over 2 days"
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
printf 'ratio append/rewrite: %.2f (both still read the day's rows back: the rewrite whole, the append its eventIds)\n' \
  "$(calc "${T[1]} / ${T[0]}")"
