package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.core.testing.JobProcesses;
import io.fraudbatch.core.testing.TestRoots;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.jobs.Published;
import io.fraudbatch.sample.Scenario;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.Table;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark jobs on a standalone cluster: a Master and a Worker, each its own JVM started from the
 * Spark jars of this test's classpath (laid out as a Spark distribution's {@code jars/}, with a
 * {@code bin/spark-submit} that runs {@code SparkSubmit}), executors forked by the Worker. The
 * submit lines are read from batch-jobs/README.md and run by bash exactly as printed, once against
 * the cluster and once with {@code MASTER=local[2]}; every output must be the same.
 */
class SparkStandaloneIT {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path JOB_JAR = MODULE.resolve("target/fraud-batch-batch-jobs-job.jar");
  static final LocalDate FIRST = ProfilesJobTest.START.plusDays(3);
  static final LocalDate DAY = ProfilesJobTest.START.plusDays(ProfilesJobTest.DAYS - 1);

  static Path base;
  static Path sparkHome;
  static String master;
  static Process masterProcess;
  static Process workerProcess;

  @BeforeAll
  static void startCluster() throws Exception {
    base = Files.createDirectories(MODULE.resolve("target/spark-standalone-" + System.nanoTime()));
    sparkHome = distribution(base.resolve("spark-home"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    master = "spark://127.0.0.1:" + port;
    masterProcess =
        daemon(
            "master",
            List.of(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--webui-port",
                "0"),
            "I have been elected leader");
    workerProcess =
        daemon(
            "worker",
            List.of(
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--cores",
                "2",
                "--memory",
                "2g",
                "--webui-port",
                "0",
                "--work-dir",
                base.resolve("work").toString(),
                master),
            "Successfully registered with master");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Process p : new Process[] {workerProcess, masterProcess}) {
      if (p != null) {
        p.destroy(); // the Worker's shutdown hook stops its executors and drivers
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }

  @Test
  void theReadmesSubmitLinesRunOnTheClusterAndPublishWhatLocalPublishes() throws Exception {
    Path generated = base.resolve("generated");
    ProfilesJobTest.generate(
        generated, Map.of(Scenario.REGIONAL_BURST, 2, Scenario.CARD_TESTING, 2));
    ProfilesJobTest.ingest(generated);
    Path local = TestRoots.copy(generated, base.resolve("local"));
    Path cluster = TestRoots.copy(generated, base.resolve("cluster"));

    String readme = Files.readString(MODULE.resolve("README.md"));
    String client = block(readme, "client");

    String onCluster = submit(client, master, cluster, "client-cluster");
    String onLocal = submit(client, "local[2]", local, "client-local");
    // The shuffles are sized from the input, not Spark's constant 200.
    assertThat(onCluster)
        .containsPattern("spark: \\d shuffle partitions for [0-9.]+ MB of input on 2 core");

    for (LocalDate d = FIRST; !d.isAfter(DAY); d = d.plusDays(1)) {
      assertThat(
              ProfilesJobTest.content(
                  ProfilesJobTest.localConf(), hadoop(cluster, Table.PROFILES, d)))
          .as("profiles as of %s", d)
          .isNotEmpty()
          .isEqualTo(
              ProfilesJobTest.content(
                  ProfilesJobTest.localConf(), hadoop(local, Table.PROFILES, d)));
      assertThat(rows(cluster, Table.ANOMALIES, d))
          .as("anomalies of %s", d)
          .isEqualTo(rows(local, Table.ANOMALIES, d));
    }
    List<String> anomalies = new ArrayList<>();
    for (LocalDate d = FIRST; !d.isAfter(DAY); d = d.plusDays(1)) {
      anomalies.addAll(rows(cluster, Table.ANOMALIES, d));
    }
    assertThat(anomalies).as("the injected incidents give anomalies to compare").isNotEmpty();
    assertThat(rows(cluster, Table.RISK_CONTEXT, DAY))
        .isEqualTo(rows(local, Table.RISK_CONTEXT, DAY));
    assertThat(rows(cluster, Table.BACKTESTS, DAY))
        .as("backtest")
        .isNotEmpty()
        .isEqualTo(rows(local, Table.BACKTESTS, DAY));
  }

  @Test
  void clusterDeployModeRunsTheDriverOnAWorkerAndAFailedDriverFailsTheSubmit() throws Exception {
    Path root = base.resolve("cluster-mode");
    ProfilesJobTest.generate(root);
    ProfilesJobTest.ingest(root);
    String readme = Files.readString(MODULE.resolve("README.md"));
    String script = block(readme, "cluster");
    assertThat(script).contains("OPENS=\"" + System.getProperty("fraud.test.add-opens") + "\"");

    submit(script, master, root, "cluster-mode");
    assertThat(PartitionLister.location(fs(), hadoopRoot(root), Table.PROFILES, DAY.toString()))
        .as("published by the driver on the worker")
        .isPresent();
    assertThat(
            Files.list(base.resolve("work"))
                .anyMatch(p -> p.getFileName().toString().startsWith("driver-")))
        .isTrue();

    // A driver that fails (here: a bad argument, exit 2) must fail spark-submit-checked, where
    // plain spark-submit exits 0.
    Result bad =
        run(script.replace("--as-of \"$DAY\"", "--as-of not-a-day"), master, root, "cluster-bad");
    assertThat(bad.code()).as(bad.output()).isEqualTo(1);
    assertThat(bad.output()).contains("is FAILED");
  }

  // --- the cluster ---------------------------------------------------------------------------

  /**
   * A Spark distribution's layout: jars/ (links to the test classpath's jars), bin/spark-submit.
   */
  static Path distribution(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    // The test's JVM flags (C1 only) for the drivers spark-submit starts and the executors the
    // Worker forks, as a site sets its own in conf/spark-defaults.conf.
    String child = JobProcesses.childJvmOpts();
    Files.writeString(
        Files.createDirectories(home.resolve("conf")).resolve("spark-defaults.conf"),
        child.isEmpty()
            ? ""
            : "spark.driver.extraJavaOptions "
                + child
                + "\nspark.executor.extraJavaOptions "
                + child
                + "\n");
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      String name = p.getFileName().toString();
      // Our own code comes only from the job jar, as on a real cluster.
      if (name.endsWith(".jar") && !name.startsWith("fraud-batch") && Files.isRegularFile(p)) {
        Path link = jars.resolve(name);
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    }
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    // As a distribution's bin/spark-submit (spark-class): Spark's launcher builds the command
    // (the driver's heap, --driver-java-options, the JDK 17 module flags), then it runs.
    Files.writeString(
        submit,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "build_command() {",
            "  '" + javaBin() + "' -Xmx128m -cp \"$SPARK_HOME/jars/*\" \\",
            "    org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit \"$@\"",
            "  printf '%d\\0' $?",
            "}",
            // The launcher prints its messages, an empty line, then the command, NUL-separated.
            "CMD=()",
            "DELIM=$'\\n'",
            "while IFS= read -d \"$DELIM\" -r ARG; do",
            "  if [ \"$DELIM\" = '' ]; then CMD+=(\"$ARG\")",
            "  elif [ -z \"$ARG\" ]; then DELIM=''",
            "  else echo \"$ARG\" >&2; fi",
            "done < <(build_command \"$@\")",
            "if [ ${#CMD[@]} -eq 0 ]; then exit 1; fi",
            "LAST=$((${#CMD[@]} - 1))",
            "if [ \"${CMD[$LAST]}\" != 0 ]; then exit \"${CMD[$LAST]}\"; fi",
            "exec \"${CMD[@]:0:$LAST}\"",
            ""));
    assertThat(submit.toFile().setExecutable(true)).isTrue();
    return home;
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Process daemon(String name, List<String> mainAndArgs, String ready) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx384m"));
    cmd.addAll(List.of(System.getProperty("fraud.test.add-opens").split(" ")));
    cmd.addAll(JobProcesses.childJvmFlags());
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*"));
    cmd.addAll(mainAndArgs);
    Path log = base.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    environment(pb);
    Process p = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(ready)) {
        return p;
      }
      assertThat(p.isAlive()).as("%s exited: %s", name, Files.readString(log)).isTrue();
      Thread.sleep(250);
    }
    p.destroyForcibly();
    throw new AssertionError(name + " not ready in 90 s: " + Files.readString(log));
  }

  static void environment(ProcessBuilder pb) {
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    // The launcher of executors and drivers asks for it when there is no Spark build to look at.
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("PATH", sparkHome.resolve("bin") + File.pathSeparator + env.get("PATH"));
  }

  // --- running the README's lines ------------------------------------------------------------

  /** The fenced block after {@code <!-- spark-submit: NAME -->} in the README. */
  static String block(String readme, String name) {
    Matcher m =
        Pattern.compile(
                "<!-- spark-submit: " + Pattern.quote(name) + " -->\\s*```\\n(.*?)```",
                Pattern.DOTALL)
            .matcher(readme);
    assertThat(m.find()).as("README block %s", name).isTrue();
    return m.group(1);
  }

  record Result(int code, String output) {}

  static Result run(String script, String masterUrl, Path root, String name) throws Exception {
    Path log = base.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
            .directory(MODULE.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    environment(pb);
    Map<String, String> env = pb.environment();
    env.put("MASTER", masterUrl);
    env.put("JOB_JAR", JOB_JAR.toString());
    env.put("ROOT", root.toString());
    env.put("FIRST", FIRST.toString());
    env.put("DAY", DAY.toString());
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("%s within 10 minutes", name).isTrue();
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  static String submit(String script, String masterUrl, Path root, String name) throws Exception {
    Result r = run(script, masterUrl, root, name);
    String jobLines =
        String.join(
            "\n", r.output().lines().filter(l -> !l.matches("^\\d\\d/\\d\\d/\\d\\d .*")).toList());
    assertThat(r.code()).as("%s:\n%s", name, jobLines).isZero();
    return r.output();
  }

  // --- outputs -------------------------------------------------------------------------------

  static FileSystem fs() throws IOException {
    return FileSystem.getLocal(ProfilesJobTest.localConf());
  }

  static org.apache.hadoop.fs.Path hadoopRoot(Path root) {
    return new org.apache.hadoop.fs.Path(root.toAbsolutePath().toUri());
  }

  static org.apache.hadoop.fs.Path hadoop(Path root, Table table, LocalDate d) {
    return new org.apache.hadoop.fs.Path(Published.partition(root, table, d).toUri());
  }

  /** The partition's records as text, sorted, run ids blanked (they differ between runs). */
  static List<String> rows(Path root, Table table, LocalDate d) throws IOException {
    Path dir = Published.partition(root, table, d);
    List<String> rows = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        AvroParquet.<GenericRecord>read(
            ProfilesJobTest.localConf(),
            new org.apache.hadoop.fs.Path(f.toUri()),
            r -> {
              if (r.getSchema().getField("runId") != null) {
                r.put("runId", "");
              }
              rows.add(r.toString());
            });
      }
    }
    rows.sort(null);
    return rows;
  }
}
