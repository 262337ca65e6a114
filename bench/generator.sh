#!/usr/bin/env bash
# Throughput of the sample-data generator on this machine, for 1M events (override: EVENTS=...).
# Prints events/s and MB/s as measured by the generator (world building to last file closed) and the
# process wall time, then a reference run in the same invocation: copying the generated landing tree
# with cp (this disk's ceiling for writing the same files), and the generator/copy ratio.
# A measurement, not a test: nothing here fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-1000000}
ACTORS=${ACTORS:-15000}          # ~2.4 events per actor per day over 28 days: realistic density
WORK=${WORK:-$(mktemp -d /tmp/fraud-bench.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT

bin/fraud-batch generate --help >/dev/null   # builds on first use

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }

run() { # $1 = label, rest = extra generator args
  local label=$1; shift
  rm -rf "$WORK/gen"
  local t0 t1 line
  t0=$(date +%s.%N)
  line=$(bin/fraud-batch generate --root "$WORK/gen" --events "$EVENTS" --actors "$ACTORS" -q "$@" | head -1)
  t1=$(date +%s.%N)
  echo "$label: $line"
  printf '%s: process wall time %.1f s (JVM start included): %.0f events/s\n' "$label" \
    "$(calc "$t1 - $t0")" "$(calc "$EVENTS / ($t1 - $t0)")"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; events: $EVENTS; actors: $ACTORS"
run "uncompressed (sequencefile,datastream,avro)" --formats sequencefile,datastream,avro
run "default mix (sequencefile,datastream,datastream-gzip,avro)"
gen_line=$(bin/fraud-batch generate --root "$WORK/gen" --events "$EVENTS" --actors "$ACTORS" -q --overwrite | head -1)
gen_mbs=$(echo "$gen_line" | sed -E 's/.*, ([0-9.]+) MB\/s$/\1/')
bytes=$(du -sb "$WORK/gen/landing" | cut -f1)
sync
t0=$(date +%s.%N); cp -r "$WORK/gen/landing" "$WORK/copy"; sync; t1=$(date +%s.%N)
copy_mbs=$(calc "$bytes / 1000000 / ($t1 - $t0)")
printf 'reference: cp -r of the same %.1f MB landing tree (+sync): %.1f MB/s\n' "$(calc "$bytes/1000000")" "$copy_mbs"
printf 'ratio generator/copy (default mix, MB/s): %.2f\n' "$(calc "$gen_mbs / $copy_mbs")"
