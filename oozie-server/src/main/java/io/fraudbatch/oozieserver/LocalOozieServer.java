package io.fraudbatch.oozieserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.oozie.local.LocalOozie;
import org.apache.oozie.servlet.V1JobsServlet;
import org.apache.oozie.servlet.V2AdminServlet;
import org.apache.oozie.servlet.V2JobServlet;
import org.apache.oozie.servlet.VersionServlet;
import org.apache.oozie.test.EmbeddedServletContainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A real Oozie 5.2.1 server on one machine, for the submit tool's tests: Oozie's own services
 * (LocalOozie: the workflow engine, coordinators, Derby through OpenJPA) and its own REST servlets
 * (the v2 API oozie-client speaks) in Oozie's embedded servlet container, state under {@code
 * --dir}, local filesystem. fs, decision, fork/join, kill and end actions run here; java, spark and
 * map-reduce actions need YARN (oozie-workflows/README.md). Not for production.
 */
@Command(
    name = "oozie-server",
    mixinStandardHelpOptions = true,
    description = "Runs a local Oozie server until stopped; writes its URL to --ready-file.")
public final class LocalOozieServer implements Callable<Integer> {
  @Option(names = "--dir", description = "State directory (default: ${DEFAULT-VALUE}).")
  String dir = "./fraud-data/oozie";

  @Option(names = "--ready-file", description = "Write the Oozie URL here once it serves.")
  String readyFile;

  public static void main(String[] args) {
    int rc = new CommandLine(new LocalOozieServer()).execute(args);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  static Map<String, String> site(Path d) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("oozie.service.JPAService.create.db.schema", "true");
    s.put("oozie.service.JPAService.jdbc.driver", "org.apache.derby.jdbc.EmbeddedDriver");
    s.put("oozie.service.JPAService.jdbc.url", "jdbc:derby:" + d.resolve("db") + ";create=true");
    s.put("oozie.service.JPAService.validate.db.connection", "false");
    s.put("oozie.service.HadoopAccessorService.supported.filesystems", "*");
    s.put(
        "oozie.service.HadoopAccessorService.hadoop.configurations",
        "*=" + d.resolve("conf/hadoop-conf"));
    s.put(
        "oozie.service.HadoopAccessorService.action.configurations",
        "*=" + d.resolve("conf/action-conf"));
    s.put("oozie.service.WorkflowAppService.system.libpath", d.resolve("share").toUri().toString());
    s.put(
        "oozie.service.ProxyUserService.proxyuser." + System.getProperty("user.name") + ".hosts",
        "*");
    s.put(
        "oozie.service.ProxyUserService.proxyuser." + System.getProperty("user.name") + ".groups",
        "*");
    s.put(
        "oozie.service.SchemaService.wf.ext.schemas",
        "spark-action-1.0.xsd,hive2-action-1.0.xsd,shell-action-1.0.xsd,email-action-0.2.xsd,oozie-sla-0.2.xsd");
    return s;
  }

  static String xml(Map<String, String> props) {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    props.forEach(
        (k, v) ->
            x.append("  <property><name>")
                .append(k)
                .append("</name><value>")
                .append(v.replace("&", "&amp;").replace("<", "&lt;"))
                .append("</value></property>\n"));
    return x.append("</configuration>\n").toString();
  }

  @Override
  public Integer call() throws Exception {
    Path d = Path.of(dir).toAbsolutePath().normalize();
    Path conf = d.resolve("conf");
    Files.createDirectories(conf.resolve("hadoop-conf"));
    Files.createDirectories(conf.resolve("action-conf"));
    Files.createDirectories(d.resolve("share"));
    Files.createDirectories(d.resolve("logs"));
    Files.createDirectories(d.resolve("data"));
    Files.writeString(conf.resolve("oozie-site.xml"), xml(site(d)));
    Files.writeString(
        conf.resolve("hadoop-conf/core-site.xml"), xml(Map.of("fs.defaultFS", "file:///")));
    System.setProperty("oozie.home.dir", d.toString());
    System.setProperty("oozie.config.dir", conf.toString());
    System.setProperty("oozie.data.dir", d.resolve("data").toString());
    System.setProperty("oozie.log.dir", d.resolve("logs").toString());
    System.setProperty("oozielocal.log", d.resolve("logs/oozie.log").toString());
    System.setProperty("derby.stream.error.file", d.resolve("logs/derby.log").toString());
    long t0 = System.currentTimeMillis();
    LocalOozie.start();
    EmbeddedServletContainer rest = new EmbeddedServletContainer("oozie");
    rest.addServletEndpoint("/versions", VersionServlet.class);
    rest.addServletEndpoint("/v2/jobs", V1JobsServlet.class);
    rest.addServletEndpoint("/v2/job/*", V2JobServlet.class);
    rest.addServletEndpoint("/v2/admin/*", V2AdminServlet.class);
    rest.start();
    String url = rest.getContextURL();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    rest.stop();
                    LocalOozie.stop();
                  } catch (RuntimeException e) {
                    System.err.println("oozie-server: stopping: " + e);
                  } finally {
                    stopped.countDown();
                  }
                }));
    if (readyFile != null) {
      Path tmp = Path.of(readyFile + ".tmp");
      Files.writeString(tmp, url + "\n");
      Files.move(tmp, Path.of(readyFile), StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.printf(
        "oozie-server: ready in %.1f s at %s (state under %s)%n",
        (System.currentTimeMillis() - t0) / 1000.0, url, d);
    stopped.await();
    return 0;
  }
}
