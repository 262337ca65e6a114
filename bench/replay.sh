#!/usr/bin/env bash
# Data nobody here wrote, through the pipeline (sample-data/README.md, "Public datasets"):
#  - Sparkov and PaySim: import -> ingest -> daily profiles -> rule backtest; prints the backtest's
#    precision/recall per rule and threshold;
#  - every NAB series: import as one region -> ingest -> anomaly job after NAB's 15% warm-up;
#    prints per series the labelled windows found (NAB's convention: any flag inside), the
#    hour-windows detected, and the precision of the region's flags.
# Also the import and ingest throughput. Results are recorded in docs/replayed-datasets.md.
# Override: EXTERNAL (default ../shared/external-data), SPARKOV_FROM (first backtest day, default
# 2020-10-01), NAB_PER_HOUR (60), SERIES (a glob under nab/data, default */*.csv), DATASETS (default
# "sparkov paysim nab"), WORK.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTERNAL=${EXTERNAL:-../shared/external-data}
SPARKOV_FROM=${SPARKOV_FROM:-2020-10-01}
NAB_PER_HOUR=${NAB_PER_HOUR:-60}
SERIES=${SERIES:-"*/*.csv"}
DATASETS=${DATASETS:-"sparkov paysim nab"}
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench-replay.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
. bench/lib.sh
[ -d "$EXTERNAL/sparkov" ] || { echo "bench/replay.sh: no datasets under $EXTERNAL (set EXTERNAL)" >&2; exit 2; }

bin/fraud-batch import --help >/dev/null   # builds on first use
bin/fraud-batch backtest --help >/dev/null
bin/fraud-batch ingest --help >/dev/null

run() { # $1 = log name, rest = command; output kept in $WORK/$1.log, shown on failure
  local log="$WORK/$1.log"; shift
  "$@" >"$log" 2>&1 || { echo "failed: $*" >&2; tail -30 "$log" >&2; exit 1; }
}
day_before() { date -u -d "$1 - 1 day" +%F; }

import_and_ingest() { # $1 = name, rest = import args
  local name=$1; shift
  local t0 t1 t2 rows
  t0=$(date +%s.%N)
  run "$name-import" bin/fraud-batch import "$@" --root "$WORK/$name" --quiet
  t1=$(date +%s.%N)
  run "$name-ingest" bin/fraud-batch ingest --root "$WORK/$name"
  t2=$(date +%s.%N)
  rows=$(json "$WORK/$name/labels/decisions/summary.json" unique)
  printf '%-44s %8s rows: import %5.1f s (%6.0f rows/s), ingest %5.1f s (%6.0f rows/s)\n' \
    "$name" "$rows" "$(calc "$t1 - $t0")" "$(calc "$rows / ($t1 - $t0)")" "$(calc "$t2 - $t1")" "$(calc "$rows / ($t2 - $t1)")"
}

backtest() { # $1 = name, $2 = first day, $3 = last day
  local name=$1 from=$2 to=$3
  run "$name-profiles" bin/fraud-batch profiles --root "$WORK/$name" --mode incremental --as-of "$(day_before "$from")..$(day_before "$to")"
  run "$name-backtest" bin/fraud-batch backtest --root "$WORK/$name" --from "$from" --to "$to"
  echo "backtest of $name, $from..$to (profiles as of each day before):"
  grep -E '^(rule|AMOUNT_|UNFAMILIAR_HOUR|IMPOSSIBLE_TRAVEL|ANY|PLAIN_|best k|at the default)' "$WORK/$name-backtest.log" | sed 's/^/  /'
}

echo "$(machine); datasets: $EXTERNAL"
if [[ " $DATASETS " == *" sparkov "* ]]; then
  import_and_ingest sparkov sparkov --input "$EXTERNAL/sparkov/transactions.csv.gz"
  backtest sparkov "$SPARKOV_FROM" 2020-12-31
fi
if [[ " $DATASETS " == *" paysim "* ]]; then
  import_and_ingest paysim paysim --input "$EXTERNAL/paysim" --start 2026-10-01
  backtest paysim 2026-10-02 "$(json "$WORK/paysim/labels/decisions/summary.json" last | cut -c1-10)"
fi
[[ " $DATASETS " == *" nab "* ]] || exit 0

echo
echo "NAB series as one region each ($NAB_PER_HOUR transactions/hour at the median value), anomaly job"
echo "after the 15% warm-up; found = labelled windows with a flag inside, detected = hour-windows flagged"
echo "right of |: the reference method (robust z-score of the previous 14 days' windows) on the same windows"
printf '%-46s %7s %5s %8s %8s %7s %9s %9s | %5s %7s %9s\n' series windows found hours detected flagged explained precision found flagged precision
for f in $EXTERNAL/nab/data/$SERIES; do
  name=$(basename "$f" .csv)
  import_and_ingest "nab-$name" nab --input "$f" --per-hour "$NAB_PER_HOUR" >"$WORK/nab-$name.tput"
  root="$WORK/nab-$name"
  from=$(date -u -d "$(json "$root/labels/decisions/summary.json" warmupEnds | cut -c1-10) + 1 day" +%F)
  to=$(json "$root/labels/decisions/summary.json" last | cut -c1-10)
  # The anomaly job wants every day of its range ingested: a series with gaps (no points, so no
  # traffic) is scored stretch by stretch of consecutive days, and the counts added up.
  : >"$WORK/nab-$name-anomalies.log"
  seg_from="" prev=""
  for d in $(ls "$root/warehouse/decisions" | sed -n 's/^dt=//p' | sort); do
    [[ "$d" < "$from" || "$d" > "$to" ]] && continue
    if [ -n "$prev" ] && [ "$(date -u -d "$prev + 1 day" +%F)" != "$d" ]; then
      run "nab-$name-seg" bin/fraud-batch anomalies --root "$root" --date "$seg_from..$prev"
      cat "$WORK/nab-$name-seg.log" >>"$WORK/nab-$name-anomalies.log"
      seg_from=""
    fi
    [ -z "$seg_from" ] && seg_from=$d
    prev=$d
  done
  run "nab-$name-seg" bin/fraud-batch anomalies --root "$root" --date "$seg_from..$prev"
  cat "$WORK/nab-$name-seg.log" >>"$WORK/nab-$name-anomalies.log"
  # The job's table (scenario ... windows ... found) and, after it, the job beside the reference
  # method ("this job" / "reference"): found a/b, detected c/d in each column.
  awk -v s="$(basename "$(dirname "$f")")/$name" -v runs="$(grep -c '^anomalies: published' "$WORK/nab-$name-anomalies.log")" '
    $1 == "NAB_WINDOW" && $2 !~ /\// { w += $2; h += $3; d += $4; found += $7 }
    $1 == "NAB_WINDOW" && $2 ~ /\// { split($5, r, "/"); rfound += r[1] }
    $1 == "region" && NF == 4 { fl += $2; ex += $3 }
    $1 == "flagged" && $2 == "windows" { rfl += $7 }
    $1 == "explained" && $2 == "(precision)" { rex += $5 }
    END { printf "%-46s %7d %5d %8d %8d %7d %9d %9s | %5d %7d %9s%s\n", s, w, found, h, d, fl, ex,
          (fl ? sprintf("%.1f%%", 100 * ex / fl) : "-"), rfound, rfl,
          (rfl ? sprintf("%.1f%%", 100 * rex / rfl) : "-"), (runs > 1 ? "  (" runs " stretches)" : "") }
  ' "$WORK/nab-$name-anomalies.log"
done
echo
echo "import/ingest throughput of the NAB series:"
cat "$WORK"/nab-*.tput | sed 's/^/  /'
