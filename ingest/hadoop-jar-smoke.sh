#!/usr/bin/env bash
# Runs the shaded job jars exactly as `hadoop jar` does (org.apache.hadoop.util.RunJar) on a classpath
# of Hadoop 3.3.6's own client jars (resolved without this project's version pins, so with Hadoop's
# Avro 1.7.7, Jackson 2.12 and reload4j), against freshly generated landing data: the ingest job jar,
# then the batch-jobs job jar's MapReduce profile job (no Spark on that classpath: the MapReduce
# engine must not need it). Proves each job jar brings everything it needs and that the relocated
# Avro/Jackson do not clash with the cluster's.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d /tmp/hadoop-jar-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
./mvnw -q -B -ntp -DskipTests -Dspotless.check.skip=true -pl ingest,batch-jobs -am package
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
bin/fraud-batch generate --root "$WORK/root" --days 2 --actors 200 -q
java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp "$(cat "$WORK/cp.txt")" org.apache.hadoop.util.RunJar \
  ingest/target/fraud-batch-ingest-job.jar --root "$WORK/root" --min-age-seconds 0
java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp "$(cat "$WORK/cp.txt")" org.apache.hadoop.util.RunJar \
  batch-jobs/target/fraud-batch-batch-jobs-job.jar --root "$WORK/root" --engine mapreduce
ls "$WORK/root/warehouse/profiles/" | grep -q '^as_of=' || { echo "hadoop-jar smoke: no profile snapshot" >&2; exit 1; }
echo "hadoop-jar smoke: OK (ingest and the MapReduce profile job, job jars alone)"
