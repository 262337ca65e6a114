package io.fraudbatch.oozie;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Runs a workflow on one machine the way Oozie would visit it: from start, each action in turn,
 * following ok or error, until end or a kill node. Oozie 5 runs java and spark actions only through
 * YARN (a launcher application), which one machine has not (oozie-workflows/README.md), so here
 * each java or spark action is its own local process — the action's main class on the jar that
 * holds it, with the action's arguments — and fs actions and {@code <prepare>} run here. What it
 * runs is the parsed workflow.xml with the properties substituted: change the XML, and the local
 * run changes with it.
 */
public final class LocalRunner {
  /** One action's outcome. */
  public record Step(String action, boolean ok, long millis, Path log) {}

  private final Workflow workflow;
  private final Map<String, String> values;
  private final Map<String, Path> jars; // package prefix → jar
  private final List<String> jvmFlags;
  private final Path logs;
  private final PrintStream out;

  public LocalRunner(
      Workflow workflow,
      Map<String, String> values,
      Map<String, Path> jars,
      List<String> jvmFlags,
      Path logs,
      PrintStream out) {
    this.workflow = workflow;
    this.values = values;
    this.jars = jars;
    this.jvmFlags = jvmFlags;
    this.logs = logs;
    this.out = out;
  }

  /** Runs the workflow; returns the steps run. Throws naming the failed action and its log. */
  public List<Step> run() throws IOException, InterruptedException {
    Files.createDirectories(logs);
    List<Step> steps = new ArrayList<>();
    String at = workflow.start();
    int n = 0;
    int total = workflow.successPath().size();
    while (true) {
      Workflow.WfNode node = workflow.nodes().get(at);
      switch (node.kind()) {
        case "end" -> {
          return steps;
        }
        case "kill" -> {
          String message = text(Workflow.child(node.element(), "message"));
          if (!steps.isEmpty()) { // a kill reached through a failed action
            Step failed = steps.get(steps.size() - 1);
            message =
                message
                    .replace("${wf:lastErrorNode()}", failed.action())
                    .replace("${wf:errorMessage(wf:lastErrorNode())}", "see " + failed.log());
          }
          throw new FraudBatchException(AppProperties.substitute(message, values));
        }
        case "action" -> {
          n++;
          out.printf("oozie run-local: [%d/%d] %s%n", n, total, node.name());
          long t0 = System.currentTimeMillis();
          Path log = logs.resolve(node.name() + ".log");
          boolean ok = runAction(node, log);
          long ms = System.currentTimeMillis() - t0;
          steps.add(new Step(node.name(), ok, ms, log));
          out.printf(
              "oozie run-local: [%d/%d] %s %s in %.1f s (log: %s)%n",
              n, total, node.name(), ok ? "ok" : "FAILED", ms / 1000.0, log);
          at = ok ? node.ok() : node.error();
        }
        default ->
            throw new FraudBatchException(
                "run-local runs start, action, kill and end nodes; "
                    + node.kind()
                    + " '"
                    + node.name()
                    + "' needs a real Oozie");
      }
    }
  }

  private boolean runAction(Workflow.WfNode node, Path log)
      throws IOException, InterruptedException {
    Element action = node.actionElement();
    for (Element prepare : Workflow.children(action, "prepare")) {
      for (Element delete : Workflow.children(prepare, "delete")) {
        fsDelete(resolve(delete.getAttribute("path")));
      }
    }
    switch (action.getLocalName()) {
      case "java" -> {
        return process(node.name(), text(Workflow.child(action, "main-class")), args(action), log);
      }
      case "spark" -> {
        return process(node.name(), text(Workflow.child(action, "class")), args(action), log);
      }
      case "fs" -> {
        return fs(action, log);
      }
      default ->
          throw new FraudBatchException(
              "run-local cannot run the "
                  + action.getLocalName()
                  + " action '"
                  + node.name()
                  + "'");
    }
  }

  private List<String> args(Element action) {
    List<String> a = new ArrayList<>();
    for (Element arg : Workflow.children(action, "arg")) {
      a.add(resolve(text(arg)));
    }
    return a;
  }

  private boolean process(String name, String mainClass, List<String> args, Path log)
      throws IOException, InterruptedException {
    Path jar = jarFor(mainClass);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", jar.toString(), mainClass));
    cmd.addAll(args);
    Files.writeString(log, String.join(" ", cmd) + "\n");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(2, TimeUnit.HOURS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }

  Path jarFor(String mainClass) {
    return jars.entrySet().stream()
        .filter(e -> mainClass.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(
            () ->
                new FraudBatchException(
                    "no jar given for "
                        + mainClass
                        + " (--jar PACKAGE=JAR; given: "
                        + jars.keySet()
                        + ")"));
  }

  private boolean fs(Element action, Path log) throws IOException {
    StringBuilder done = new StringBuilder();
    try {
      for (Node c = action.getFirstChild(); c != null; c = c.getNextSibling()) {
        if (!(c instanceof Element e)) {
          continue;
        }
        org.apache.hadoop.fs.Path path =
            new org.apache.hadoop.fs.Path(resolve(e.getAttribute("path")));
        FileSystem fs = path.getFileSystem(new Configuration());
        switch (e.getLocalName()) {
          case "mkdir" -> fs.mkdirs(path);
          case "delete" -> fs.delete(path, true);
          case "touchz" -> {
            if (!fs.exists(path)) {
              fs.create(path, false).close();
            }
          }
          default ->
              throw new FraudBatchException(
                  "run-local: fs " + e.getLocalName() + " is not supported");
        }
        done.append(e.getLocalName()).append(' ').append(path).append('\n');
      }
      Files.writeString(log, done.toString());
      return true;
    } catch (IOException e) {
      Files.writeString(log, done + "failed: " + e + "\n");
      return false;
    }
  }

  private void fsDelete(String path) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    p.getFileSystem(new Configuration()).delete(p, true);
  }

  private String resolve(String text) {
    String r = AppProperties.substitute(text, values);
    FraudBatchException.check(
        !r.contains("${"), "run-local: %s has no value (pass --set NAME=VALUE)", r);
    return r;
  }

  private static String text(Element e) {
    return e.getTextContent().strip();
  }
}
