# Shared helpers of the bench/ scripts (sourced, not run).
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian package 'time') for peak memory" >&2; exit 2; }

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
# Peak resident memory (MB) and wall time (s) from a `/usr/bin/time -v -o FILE` report.
peak_mb() { awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s }' "$1"; }
machine() { echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"; }

# DuckDB's JDBC driver at the version the parent POM manages, copied into $1; prints the jar's path.
duckdb_jar() {
  local dir=$1 version
  version=$(sed -n 's:.*<duckdb.version>\(.*\)</duckdb.version>.*:\1:p' pom.xml)
  ./mvnw -B -q -N dependency:copy -Dartifact="org.duckdb:duckdb_jdbc:$version" -DoutputDirectory="$dir" >/dev/null
  echo "$dir/duckdb_jdbc-$version.jar"
}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The collector bin/fraud-batch gives the ingest and profile jobs (the parent POM's batch.jvm.gc), for
# a JVM reference a bench starts itself, so a job and its reference run with the same one; none when
# FRAUD_BATCH_JAVA_OPTS picks a collector (as bin/fraud-batch does).
case " ${FRAUD_BATCH_JAVA_OPTS:-} " in
  *" -XX:+Use"*"GC"*) BATCH_GC="" ;;
  *) BATCH_GC=$(sed -n 's:.*<batch.jvm.gc>\(.*\)</batch.jvm.gc>.*:\1:p' pom.xml) ;;
esac

# The value of "KEY" in a job's summary JSON (compact or indented; the first occurrence).
# A quoted value is taken whole (timestamps hold colons), a bare one up to the next , or }.
json() { grep -o "\"$2\" *: *\(\"[^\"]*\"\|[^,}]*\)" "$1" | head -1 | sed 's/^"[^"]*" *: *//; s/^"//; s/"$//; s/ *$//'; }

# Growth between the sizes of one invocation: "growth LABEL SIZES TIMES" with SIZES and TIMES as
# space-separated lists in the same order; prints, for each size after the first, time x and data x
# against the first size (the target: time grows no faster than 1.1 x the data).
growth() {
  local label=$1 sizes=($2) times=($3) unit=${4:-events} i
  for ((i = 1; i < ${#sizes[@]}; i++)); do
    printf 'growth %-28s %.2fx the time for %.1fx the data (%s -> %s %s; target <= %.1fx)\n' "$label" \
      "$(calc "${times[$i]} / ${times[0]}")" "$(calc "${sizes[$i]} / ${sizes[0]}")" "${sizes[0]}" "${sizes[$i]}" "$unit" \
      "$(calc "1.1 * ${sizes[$i]} / ${sizes[0]}")"
  done
}
