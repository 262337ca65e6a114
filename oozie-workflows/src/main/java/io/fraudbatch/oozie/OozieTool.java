package io.fraudbatch.oozie;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.oozie.client.AuthOozieClient;
import org.apache.oozie.client.OozieClient;
import org.apache.oozie.client.OozieClientException;
import org.apache.oozie.client.WorkflowAction;
import org.apache.oozie.client.WorkflowJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The Oozie applications' command line: check them, deploy them, run them on an Oozie server
 * (oozie-client), follow and control the jobs — or run a workflow on this machine.
 */
@Command(
    name = "oozie",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    subcommands = {
      OozieTool.Validate.class,
      OozieTool.Deploy.class,
      OozieTool.Run.class,
      OozieTool.Status.class,
      OozieTool.Kill.class,
      OozieTool.Rerun.class,
      OozieTool.RunLocal.class
    },
    description =
        "fraud-batch's Oozie applications: validate, deploy, run, status, kill, rerun, run-local.",
    footer = {
      "",
      "Examples:",
      "  bin/fraud-batch oozie validate",
      "  bin/fraud-batch oozie deploy --properties env/cluster.properties",
      "  bin/fraud-batch oozie run --oozie http://oozie.example.internal:11000/oozie --properties env/cluster.properties",
      "  bin/fraud-batch oozie run --dry-run --oozie … --properties … --app daily --set day=2026-10-28",
      "  bin/fraud-batch oozie status 0000012-261123000000000-oozie-oozi-W --oozie …",
      "  bin/fraud-batch oozie rerun 0000012-261123000000000-oozie-oozi-W --oozie …",
      "  bin/fraud-batch oozie run-local --app daily --set day=2026-10-28 --set root=file:///data/fraud …"
    })
public final class OozieTool implements Callable<Integer> {
  PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  public static int run(PrintStream out, PrintStream err, String... args) {
    OozieTool t = new OozieTool();
    t.out = out;
    return Cli.execute(t, "oozie", err, args);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return 0;
  }

  /** Where the applications and their properties come from. */
  static final class AppOptions {
    @Option(
        names = "--apps",
        paramLabel = "DIR",
        description = "Application directory (default: the applications this jar carries).")
    Path apps;

    @Option(
        names = "--properties",
        paramLabel = "FILE",
        description =
            "job.properties of the environment (default: the shipped env/local.properties).")
    Path properties;

    @Option(
        names = "--set",
        paramLabel = "NAME=VALUE",
        description = "A property for this run (overrides --properties), e.g. day=2026-10-28.")
    Map<String, String> set = new LinkedHashMap<>();

    Apps load() {
      return apps == null ? Apps.bundled() : Apps.read(apps);
    }

    String propertiesName() {
      return properties == null ? "env/local.properties" : properties.toString();
    }

    Map<String, String> values(Apps a) {
      String text;
      if (properties == null) {
        text = a.file("env/local.properties");
      } else {
        FraudBatchException.check(
            Files.isReadable(properties), "--properties %s is not a readable file", properties);
        try {
          text = Files.readString(properties);
        } catch (IOException e) {
          throw new FraudBatchException("Cannot read " + properties + ": " + e.getMessage());
        }
      }
      StringBuilder all = new StringBuilder(text).append('\n');
      set.forEach((k, v) -> all.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
      return AppProperties.parse(propertiesName(), all.toString());
    }
  }

  /** The Oozie server. */
  static final class Server {
    @Option(
        names = "--oozie",
        paramLabel = "URL",
        description =
            "Oozie server URL, e.g. http://oozie.example.internal:11000/oozie (default: $OOZIE_URL).")
    String url = System.getenv("OOZIE_URL");

    @Option(
        names = "--auth",
        description = "SIMPLE or KERBEROS (kinit first); default: the client's own choice.")
    String auth;

    OozieClient connect() {
      FraudBatchException.check(
          url != null && !url.isBlank(),
          "no Oozie server: pass --oozie http://HOST:11000/oozie or set OOZIE_URL");
      FraudBatchException.check(
          url.startsWith("http://") || url.startsWith("https://"),
          "--oozie must be an http(s) URL like http://HOST:11000/oozie (got %s)",
          url);
      OozieClient c = auth == null ? new OozieClient(url) : new AuthOozieClient(url, auth);
      try {
        c.validateWSVersion();
      } catch (OozieClientException | RuntimeException e) {
        throw new FraudBatchException(
            "cannot talk to Oozie at "
                + url
                + ": "
                + e.getMessage()
                + " (is the server up, and is the URL its base, http://HOST:11000/oozie?)");
      }
      return c;
    }
  }

  /**
   * A command that talks to the Oozie server: what the server refuses (an unknown job, an invalid
   * application) is reported in one line, naming the server, with exit code 2.
   */
  abstract static class ServerCommand implements Callable<Integer> {
    @ParentCommand OozieTool parent;
    @Mixin Server server;

    abstract int work() throws Exception;

    @Override
    public Integer call() throws Exception {
      try {
        return work();
      } catch (OozieClientException e) {
        throw new FraudBatchException("Oozie at " + server.url + " says: " + e.getMessage());
      }
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Checks the applications against Oozie's XSDs, their action graphs, and that every ${…} is set",
        "by the properties (both shipped environments when no --properties is given)."
      })
  static final class Validate implements Callable<Integer> {
    @ParentCommand OozieTool parent;
    @Mixin AppOptions app;

    @Override
    public Integer call() {
      Apps a = app.load();
      List<String> problems = new ArrayList<>();
      List<String> envs =
          app.properties == null
              ? List.of("env/local.properties", "env/cluster.properties")
              : List.of(app.propertiesName());
      for (String env : envs) {
        Map<String, String> values =
            app.properties == null ? AppProperties.parse(env, a.file(env)) : app.values(a);
        problems.addAll(a.problems(env, values));
      }
      problems.stream().distinct().forEach(p -> parent.out.println("oozie validate: " + p));
      FraudBatchException.check(
          problems.isEmpty(),
          "%d problem(s) in the applications",
          problems.stream().distinct().count());
      parent.out.printf(
          "oozie validate: %d files valid; every variable set by %s%n", a.xmlFiles().size(), envs);
      return 0;
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Copies the packaged applications (--apps, default: oozie-workflows/target/fraud-batch-oozie) to",
        "the properties' appRoot (HDFS or local), replacing the previous copy in one rename."
      })
  static final class Deploy implements Callable<Integer> {
    @ParentCommand OozieTool parent;
    @Mixin AppOptions app;

    @Override
    public Integer call() throws IOException {
      if (app.apps == null) {
        app.apps = Path.of("oozie-workflows/target/fraud-batch-oozie");
      }
      FraudBatchException.check(
          Files.isDirectory(app.apps.resolve("lib")),
          "%s is not a packaged application (no lib/): run ./mvnw -pl oozie-workflows -am package",
          app.apps);
      Apps a = app.load();
      Map<String, String> values = app.values(a);
      List<String> problems = a.problems(app.propertiesName(), values);
      FraudBatchException.check(problems.isEmpty(), "not deployed: %s", problems);
      String root = values.get("appRoot");
      FraudBatchException.check(root != null, "appRoot is not set in %s", app.propertiesName());
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(root);
      Configuration conf = new Configuration();
      FileSystem fs = target.getFileSystem(conf);
      org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(root + ".deploying");
      org.apache.hadoop.fs.Path previous = new org.apache.hadoop.fs.Path(root + ".previous");
      fs.delete(staging, true);
      FileUtil.copy(app.apps.toFile(), fs, staging, false, conf);
      fs.delete(previous, true);
      if (fs.exists(target) && !fs.rename(target, previous)) {
        throw new IOException("Cannot move " + target + " aside");
      }
      if (!fs.rename(staging, target)) {
        throw new IOException("Cannot rename " + staging + " to " + target);
      }
      parent.out.printf(
          "oozie deploy: %s → %s (the previous copy is %s)%n", app.apps, target, previous);
      return 0;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Submits and starts the bundle (default), or one coordinator or workflow (--app), on the Oozie",
        "server. Every variable the applications use must be set, else nothing is submitted."
      })
  static final class Run extends ServerCommand {
    @Mixin AppOptions app;

    @Option(
        names = "--app",
        description = "bundle (default), ingest-coordinator, daily-coordinator, ingest or daily.")
    String which = "bundle";

    @Option(
        names = "--app-path",
        paramLabel = "PATH",
        description = {
          "Any deployed application instead: a workflow directory, a coordinator.xml or a",
          "bundle.xml (checked by the server, not here)."
        })
    String appPath;

    @Option(
        names = "--dry-run",
        description = "Ask the server to check the job without running it.")
    boolean dryRun;

    @Override
    int work() throws OozieClientException {
      Apps a = app.load();
      Map<String, String> values = app.values(a);
      Properties conf = new Properties();
      values.forEach(conf::setProperty);
      String appRoot = values.get("appRoot");
      FraudBatchException.check(appRoot != null, "appRoot is not set in %s", app.propertiesName());
      conf.remove(OozieClient.BUNDLE_APP_PATH);
      if (appPath != null) {
        conf.setProperty(
            appPath.endsWith("bundle.xml")
                ? OozieClient.BUNDLE_APP_PATH
                : appPath.endsWith(".xml")
                    ? OozieClient.COORDINATOR_APP_PATH
                    : OozieClient.APP_PATH,
            appPath);
        return submit(conf, appPath);
      }
      switch (which) {
        case "bundle" ->
            conf.setProperty(OozieClient.BUNDLE_APP_PATH, appRoot + "/bundle/bundle.xml");
        case "ingest-coordinator", "daily-coordinator" ->
            conf.setProperty(
                OozieClient.COORDINATOR_APP_PATH,
                appRoot + "/" + which.replace("-coordinator", "") + "/coordinator.xml");
        case "ingest", "daily" -> conf.setProperty(OozieClient.APP_PATH, appRoot + "/" + which);
        default ->
            throw new FraudBatchException(
                "--app must be bundle, ingest-coordinator, daily-coordinator, ingest or daily (got "
                    + which
                    + ")");
      }
      List<String> problems = new ArrayList<>(a.problems(app.propertiesName(), values));
      if (which.equals("ingest") || which.equals("daily")) {
        // run on its own, the workflow needs what its coordinator would have set
        for (String name : a.coordinatorSupplied(which)) {
          if (!values.containsKey(name)) {
            problems.add(
                which
                    + "/workflow.xml: ${"
                    + name
                    + "} is set by its coordinator; pass --set "
                    + name
                    + "=…");
          }
        }
      }
      FraudBatchException.check(
          problems.isEmpty(), "nothing submitted:%n  %s", String.join("\n  ", problems));
      return submit(conf, which);
    }

    private int submit(Properties conf, String what) throws OozieClientException {
      if (conf.getProperty(OozieClient.USER_NAME) == null) {
        conf.setProperty(OozieClient.USER_NAME, System.getProperty("user.name"));
      }
      OozieClient c = server.connect();
      if (dryRun) {
        parent.out.println("oozie run --dry-run: " + what + ": " + c.dryrun(conf));
        return 0;
      }
      String id = c.run(conf);
      parent.out.printf("oozie run: started %s %s on %s%n", what, id, server.url);
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "A job's status (and its actions').")
  static final class Status extends ServerCommand {
    @Parameters(paramLabel = "JOB_ID")
    String id;

    @Override
    int work() throws OozieClientException {
      OozieClient c = server.connect();
      if (id.endsWith("-W")) {
        WorkflowJob j = c.getJobInfo(id);
        parent.out.printf(
            "%s %s %s (started %s, ended %s)%n",
            j.getId(), j.getAppName(), j.getStatus(), j.getStartTime(), j.getEndTime());
        for (WorkflowAction act : j.getActions()) {
          parent.out.printf(
              "  %-16s %-10s %s%n",
              act.getName(),
              act.getStatus(),
              act.getErrorMessage() == null ? "" : act.getErrorMessage());
        }
      } else if (id.endsWith("-C")) {
        var j = c.getCoordJobInfo(id);
        parent.out.printf(
            "%s %s %s (next %s)%n",
            j.getId(), j.getAppName(), j.getStatus(), j.getNextMaterializedTime());
        j.getActions().stream()
            .skip(Math.max(0, j.getActions().size() - 24))
            .forEach(
                x ->
                    parent.out.printf(
                        "  %s %-10s %s %s%n",
                        x.getNominalTime(),
                        x.getStatus(),
                        x.getExternalId(),
                        x.getMissingDependencies() == null
                            ? ""
                            : "waiting for " + x.getMissingDependencies()));
      } else if (id.endsWith("-B")) {
        var j = c.getBundleJobInfo(id);
        parent.out.printf("%s %s %s%n", j.getId(), j.getAppName(), j.getStatus());
        j.getCoordinators()
            .forEach(
                x -> parent.out.printf("  %s %s %s%n", x.getAppName(), x.getId(), x.getStatus()));
      } else {
        throw new FraudBatchException(
            "a job id ends in -W (workflow), -C (coordinator) or -B (bundle): " + id);
      }
      return 0;
    }
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = "Kills a job (a bundle kills its coordinators).")
  static final class Kill extends ServerCommand {
    @Parameters(paramLabel = "JOB_ID")
    String id;

    @Override
    int work() throws OozieClientException {
      server.connect().kill(id);
      parent.out.println("oozie kill: " + id + " killed");
      return 0;
    }
  }

  @Command(
      name = "rerun",
      mixinStandardHelpOptions = true,
      description = {
        "Re-runs a workflow's failed actions (its successful ones are skipped), or a coordinator's",
        "actions (--actions 1-3,7). Every action is re-runnable: the jobs replace their outputs exactly."
      })
  static final class Rerun extends ServerCommand {
    @Parameters(paramLabel = "JOB_ID")
    String id;

    @Option(
        names = "--actions",
        description = "Coordinator action numbers to re-run, e.g. 3 or 1-5,8.")
    String actions;

    @Override
    int work() throws OozieClientException {
      OozieClient c = server.connect();
      if (id.endsWith("-W")) {
        Properties p = new Properties();
        p.setProperty(OozieClient.RERUN_FAIL_NODES, "true");
        c.reRun(id, p);
        parent.out.println("oozie rerun: " + id + ": failed actions re-running");
      } else if (id.endsWith("-C")) {
        FraudBatchException.check(
            actions != null, "a coordinator rerun needs --actions (e.g. 3 or 1-5)");
        c.reRunCoord(id, "action", actions, true, true);
        parent.out.println("oozie rerun: " + id + " actions " + actions + " re-running");
      } else {
        throw new FraudBatchException(
            "rerun takes a workflow (-W) or coordinator (-C) job id: " + id);
      }
      return 0;
    }
  }

  @Command(
      name = "run-local",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a workflow on this machine in the order its workflow.xml defines: java and spark actions",
        "as local processes (Oozie needs YARN for them), fs actions and <prepare> here."
      })
  static final class RunLocal implements Callable<Integer> {
    @ParentCommand OozieTool parent;
    @Mixin AppOptions app;

    @Option(names = "--app", required = true, description = "daily or ingest.")
    String which;

    @Option(
        names = "--jar",
        paramLabel = "PACKAGE=JAR",
        description =
            "The jar (with lib/ beside it) holding main classes of a package, e.g. io.fraudbatch.ingest=ingest/target/fraud-batch-ingest.jar.")
    Map<String, Path> jars = new LinkedHashMap<>();

    @Option(names = "--jvm-flag", description = "A flag for every action's JVM (repeat).")
    List<String> jvmFlags = new ArrayList<>();

    @Option(
        names = "--logs",
        description = "Directory for the actions' logs (default: ${DEFAULT-VALUE}).")
    Path logs = Path.of("oozie-run-local-logs");

    @Override
    public Integer call() throws Exception {
      FraudBatchException.check(
          Apps.WORKFLOWS.contains(which),
          "--app must be one of %s (got %s)",
          Apps.WORKFLOWS,
          which);
      Apps a = app.load();
      Map<String, String> values = app.values(a);
      List<String> missing = new ArrayList<>();
      for (String name : AppProperties.variables(a.file(which + "/workflow.xml"))) {
        if (!values.containsKey(name)) {
          missing.add(name);
        }
      }
      FraudBatchException.check(
          missing.isEmpty(), "%s/workflow.xml needs %s: pass --set NAME=VALUE", which, missing);
      long t0 = System.currentTimeMillis();
      List<LocalRunner.Step> steps =
          new LocalRunner(a.workflow(which), values, jars, jvmFlags, logs, parent.out).run();
      parent.out.printf(
          "oozie run-local: %s done: %d actions in %.1f s%n",
          which, steps.size(), (System.currentTimeMillis() - t0) / 1000.0);
      return 0;
    }
  }
}
