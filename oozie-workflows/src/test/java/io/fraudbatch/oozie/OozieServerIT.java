package io.fraudbatch.oozie;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.core.testing.JobProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.oozie.client.CoordinatorJob;
import org.apache.oozie.client.Job;
import org.apache.oozie.client.OozieClient;
import org.apache.oozie.client.WorkflowJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The submit tool against a real Oozie 5.2.1 server (oozie-server's LocalOozieServer, its own JVM:
 * Oozie's services and REST servlets): the packaged applications deploy and pass the server's own
 * checks (dry runs of every workflow, coordinator and the bundle), a bundle runs, is followed and
 * killed, and a failed workflow is re-run from its failed action.
 */
class OozieServerIT {
  static Path dir;
  static Process server;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    dir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "oozie-server-it");
    Path log = dir.resolve("oozie-server.log");
    server =
        JobProcesses.start(
            log,
            "oozie-server/target/fraud-batch-oozie-server.jar",
            null,
            "--dir",
            dir.resolve("state").toString(),
            "--ready-file",
            dir.resolve("oozie.ready").toString());
    url = JobProcesses.awaitReady(server, dir.resolve("oozie.ready"), log);
  }

  @AfterAll
  static void stop() throws Exception {
    JobProcesses.stop(server);
  }

  @Test
  void thePackagedApplicationsPassTheServersOwnChecks() throws Exception {
    Path apps = JobProcesses.HOME.resolve("oozie-workflows/target/fraud-batch-oozie");
    String appRoot = dir.resolve("apps").toUri().toString();
    String out = tool(0, "deploy", "--apps", apps.toString(), "--set", "appRoot=" + appRoot);
    assertThat(out).contains("oozie deploy:");
    assertThat(dir.resolve("apps/daily/workflow.xml")).exists();
    assertThat(dir.resolve("apps/lib/fraud-batch-batch-jobs-job.jar")).exists();
    List<String> common = List.of("--oozie", url, "--set", "appRoot=" + appRoot, "--dry-run");
    for (String app : List.of("daily", "ingest")) {
      String dry =
          tool(
              0,
              concat(
                  List.of("run", "--app", app),
                  common,
                  List.of(
                      "--set",
                      "day=2026-10-28",
                      "--set",
                      "nominalTime=2026-10-28T00:00Z",
                      "--set",
                      "hour=2026/10/28/23",
                      "--set",
                      "hourLabel=2026102823")));
      assertThat(dry).contains("oozie run --dry-run: " + app + ": OK");
    }
    for (String app : List.of("ingest-coordinator", "daily-coordinator", "bundle")) {
      String dry = tool(0, concat(List.of("run", "--app", app), common, List.of()));
      assertThat(dry).contains("oozie run --dry-run: " + app);
    }
  }

  @Test
  void aBundleRunsIsFollowedAndKilled() throws Exception {
    Path apps = JobProcesses.HOME.resolve("oozie-workflows/target/fraud-batch-oozie");
    String appRoot = dir.resolve("bundle-apps").toUri().toString();
    tool(0, "deploy", "--apps", apps.toString(), "--set", "appRoot=" + appRoot);
    String out =
        tool(
            0,
            "run",
            "--oozie",
            url,
            "--set",
            "appRoot=" + appRoot,
            "--set",
            "root=" + dir.resolve("no-data").toUri(),
            // coordinators that start in the future: submitted and running, nothing materialized
            // yet (hundreds of waiting hourly actions made the kill slow on a loaded machine)
            "--set",
            "ingestStart=2036-01-01T00:00Z",
            "--set",
            "dailyStart=2036-01-01T00:00Z",
            "--set",
            "ingestEnd=2036-01-02T00:00Z",
            "--set",
            "dailyEnd=2036-01-02T00:00Z");
    String id = jobId(out, "-B");
    OozieClient c = new OozieClient(url);
    await(
        () -> c.getBundleJobInfo(id).getCoordinators().size() == 2,
        "the bundle starts its two coordinators");
    String status = tool(0, "status", id, "--oozie", url);
    assertThat(status).contains(id).contains("ingest").contains("daily");
    tool(0, "kill", id, "--oozie", url);
    await(() -> c.getBundleJobInfo(id).getStatus() == Job.Status.KILLED, "the bundle is killed");
    for (CoordinatorJob coord : c.getBundleJobInfo(id).getCoordinators()) {
      await(
          () -> c.getCoordJobInfo(coord.getId()).getStatus() == Job.Status.KILLED,
          "coordinator " + coord.getAppName() + " is killed with its bundle");
    }
  }

  @Test
  void aFailedWorkflowIsRerunFromItsFailedAction() throws Exception {
    Path app = dir.resolve("fs-app");
    Files.createDirectories(app);
    Files.writeString(
        app.resolve("workflow.xml"),
        "<workflow-app xmlns='uri:oozie:workflow:1.0' name='fs-rerun'>"
            + "<start to='first'/>"
            + "<action name='first'><fs><touchz path='${out}/first-${wf:run()}'/></fs><ok to='second'/><error to='fail'/></action>"
            + "<action name='second'><fs><mkdir path='${out}/blocker/sub'/></fs><ok to='end'/><error to='fail'/></action>"
            + "<kill name='fail'><message>failed at ${wf:lastErrorNode()}: ${wf:errorMessage(wf:lastErrorNode())}</message></kill>"
            + "<end name='end'/></workflow-app>");
    Path outDir = Files.createDirectories(dir.resolve("fs-out"));
    Files.writeString(outDir.resolve("blocker"), "a file where the action wants a directory");
    String out =
        tool(
            0,
            "run",
            "--oozie",
            url,
            "--app-path",
            app.toUri().toString(),
            "--set",
            "out=" + outDir.toUri().toString().replaceAll("/$", ""));
    String id = jobId(out, "-W");
    OozieClient c = new OozieClient(url);
    await(
        () -> c.getJobInfo(id).getStatus() == WorkflowJob.Status.KILLED,
        "the workflow fails at 'second'");
    assertThat(tool(0, "status", id, "--oozie", url)).contains("second").contains("ERROR");
    Files.delete(outDir.resolve("blocker"));
    assertThat(tool(0, "rerun", id, "--oozie", url)).contains("failed actions re-running");
    await(() -> c.getJobInfo(id).getStatus() == WorkflowJob.Status.SUCCEEDED, "the rerun succeeds");
    assertThat(outDir.resolve("blocker/sub")).isDirectory();
    // the successful first action was not run again
    assertThat(outDir.resolve("first-0")).exists();
    assertThat(outDir.resolve("first-1")).doesNotExist();
  }

  @Test
  void whatTheServerRefusesIsOneLineNamingIt() {
    assertThat(tool(2, "status", "0000000-000000000000000-oozie-oozi-W", "--oozie", url))
        .contains("Oozie at " + url + " says: E0604")
        .doesNotContain("\tat org.apache");
  }

  @Test
  void noOrAWrongServerIsRefusedBeforeAnythingIsSent() {
    assertThat(
            tool(
                2,
                "status",
                "0000001-000000000000000-oozie-oozi-W",
                "--oozie",
                "http://127.0.0.1:1/oozie"))
        .contains("cannot talk to Oozie at http://127.0.0.1:1/oozie");
    assertThat(tool(2, "kill", "0000001-000000000000000-oozie-oozi-W", "--oozie", "ftp://x"))
        .contains("--oozie must be an http(s) URL");
  }

  // ---- helpers ----

  interface Check {
    boolean ok() throws Exception;
  }

  private static void await(Check check, String what) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (!check.ok()) {
      assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static String jobId(String out, String suffix) {
    Matcher m = Pattern.compile("(\\d{7}-\\d+-oozie-\\S+" + suffix + ")").matcher(out);
    assertThat(m.find()).as("a job id in %s", out).isTrue();
    return m.group(1);
  }

  @SafeVarargs
  private static String[] concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all.toArray(String[]::new);
  }

  private static String tool(int exit, String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int rc = OozieTool.run(ps, ps, args);
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertThat(rc).as("oozie %s:%n%s", List.of(args), text).isEqualTo(exit);
    return text;
  }
}
