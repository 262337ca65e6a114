package io.fraudbatch.core.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For integration tests that run the jobs and the embedded services the way the launcher and a
 * cluster do: each its own JVM, from the jars the reactor built, with this JVM's JDK 17 flags. Test
 * code run from a module directory; jars are named relative to the repository root.
 */
public final class JobProcesses {
  /** The repository root (tests run in their module's directory). */
  public static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  private JobProcesses() {}

  /**
   * -Xmx2g, this JVM's --add-opens flags (the parent POM's jdk17.add-opens) and {@link
   * #childJvmFlags()}.
   */
  public static List<String> jvmFlags() {
    List<String> flags = new ArrayList<>(List.of("-Xmx2g"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")) {
        flags.add(a);
      }
    }
    flags.addAll(childJvmFlags());
    return flags;
  }

  /**
   * The flags every JVM a test starts gets besides its heap and module flags: the parent POM's
   * {@code test.child-jvm} (C1 only: small data, short JVMs), empty when run outside Maven.
   */
  public static List<String> childJvmFlags() {
    String v = System.getProperty("fraud.test.child-jvm", "").trim();
    return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
  }

  /** {@link #childJvmFlags()} as one string, for a command line or a configuration value. */
  public static String childJvmOpts() {
    return String.join(" ", childJvmFlags());
  }

  /**
   * The JVM options of a MapReduce job's YARN containers (AM, map and reduce tasks) on a mini
   * cluster: {@code heap}, the JDK 17 flags (system property {@code fraud.test.add-opens}) and
   * {@link #childJvmOpts()}; set each entry on the job's configuration.
   */
  public static java.util.Map<String, String> yarnTaskJvmOpts(String heap) {
    String opts =
        heap + " " + System.getProperty("fraud.test.add-opens", "") + " " + childJvmOpts();
    return java.util.Map.of(
        "yarn.app.mapreduce.am.command-opts", opts,
        "mapreduce.map.java.opts", opts,
        "mapreduce.reduce.java.opts", opts);
  }

  /** {@code java -jar JAR args} or, with a main class, {@code java -cp JAR MAIN args}. */
  public static ProcessBuilder java(String jar, String mainClass, String... args) {
    Path j = HOME.resolve(jar);
    if (!Files.exists(j)) {
      throw new AssertionError(
          j + " is missing: the reactor builds it before the integration tests (mvn verify)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    if (mainClass == null) {
      cmd.addAll(List.of("-jar", j.toString()));
    } else {
      cmd.addAll(List.of("-cp", j.toString(), mainClass));
    }
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /** Runs a job to its end (ten minutes at most); returns its output; fails unless it exits 0. */
  public static String run(Path logDir, String jar, String mainClass, String... args)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(logDir, "job", ".log");
    Process p =
        java(jar, mainClass, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(
          jar + " " + List.of(args) + " did not finish in 10 minutes; see " + log);
    }
    String out = Files.readString(log);
    if (p.exitValue() != 0) {
      throw new AssertionError(
          jar + " " + List.of(args) + " exited " + p.exitValue() + "; its output:\n" + out);
    }
    return out;
  }

  /** Starts a service whose output goes to {@code log}. */
  public static Process start(Path log, String jar, String mainClass, String... args)
      throws IOException {
    return java(jar, mainClass, args)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Waits (five minutes at most) for a service's ready file; returns its content. */
  public static String awaitReady(Process p, Path ready, Path log)
      throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 300_000;
    while (!Files.exists(ready)) {
      if (!p.isAlive()) {
        throw new AssertionError("the service exited with " + p.exitValue() + "; see " + log);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the service is not ready after 5 minutes; see " + log);
      }
      Thread.sleep(500);
    }
    return Files.readString(ready).strip();
  }

  /** Stops services (SIGTERM, then SIGKILL after 30 s). */
  public static void stop(Process... processes) throws InterruptedException {
    for (Process p : processes) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}
