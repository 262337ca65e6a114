package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.UserGroupInformation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * hive-ddl's command line: {@code apply} the DDL, {@code register} published partitions, run the
 * example analyst {@code query} files, over hive-jdbc against any HiveServer2 (the embedded one, a
 * cluster's, Kerberos included).
 */
@Command(
    name = "hive",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    subcommands = {ApplyCommand.class, RegisterCommand.class, QueryCommand.class},
    description = {
      "Hive/Impala tables over the fraud-batch warehouse, through HiveServer2's JDBC interface."
    },
    footer = {
      "",
      "Examples:",
      "  bin/fraud-batch hive server --dir ./fraud-data/hive &",
      "  bin/fraud-batch hive apply --root ./fraud-data",
      "  bin/fraud-batch hive register --root ./fraud-data --table anomalies --partition 2026-10-28",
      "  bin/fraud-batch hive query decline_rate_by_region top_anomalous_merchants",
      "  java -jar fraud-batch-hive-ddl.jar apply --root hdfs://ns1/data/fraud \\",
      "    --url 'jdbc:hive2://hs2.example.internal:10000/default;principal=hive/_HOST@EXAMPLE.COM'"
    })
public final class HiveDdl implements Callable<Integer> {
  PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** Runs the command line; returns the exit code (0, 1 failed, 2 bad arguments). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    HiveDdl top = new HiveDdl();
    top.out = out;
    return Cli.execute(top, "hive", err, args);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return 0;
  }

  /** Connection, storage and retry options every subcommand shares. */
  static final class Connection {
    @Option(
        names = "--url",
        paramLabel = "JDBC_URL",
        description = {
          "HiveServer2 JDBC URL (default: ${DEFAULT-VALUE}). On Kerberos clusters add",
          ";principal=hive/_HOST@REALM and kinit first, or give --keytab and --principal."
        },
        defaultValue = "jdbc:hive2://127.0.0.1:10000/default")
    String url;

    @Option(
        names = "--user",
        description = "User name for HiveServer2 without Kerberos (default: the OS user).")
    String user = System.getProperty("user.name");

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description = "File holding the password (LDAP); never on the command line.")
    Path passwordFile;

    @Option(
        names = "--keytab",
        paramLabel = "FILE",
        description = "Kerberos keytab to log in with (with --principal) instead of kinit.")
    String keytab;

    @Option(
        names = "--principal",
        paramLabel = "USER@REALM",
        description = "Kerberos principal of the keytab.")
    String principal;

    @Option(
        names = "--database",
        description =
            "Hive database of the analysts' views (default: ${DEFAULT-VALUE}); the tables over the"
                + " files are in DATABASE_files.",
        defaultValue = "fraud")
    String database;

    @Option(
        names = "--root",
        description = "Storage root the tables point at (default: ${DEFAULT-VALUE}).",
        defaultValue = "./fraud-data")
    String root;

    @Option(
        names = "--attempts",
        description =
            "Tries per statement when HiveServer2 cannot be reached (default: ${DEFAULT-VALUE}).",
        defaultValue = "5")
    int attempts;

    @Option(
        names = "--retry-pause",
        paramLabel = "SECONDS",
        description =
            "Pause before the first retry, doubled each time (default: ${DEFAULT-VALUE}).",
        defaultValue = "2")
    double retryPauseSeconds;

    HiveSession open(PrintStream log) {
      FraudBatchException.check(
          database.matches("[A-Za-z_][A-Za-z0-9_]*"),
          "--database must be a plain identifier (got %s)",
          database);
      String password = "";
      if (passwordFile != null) {
        try {
          password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new FraudBatchException(
              "Cannot read --password-file " + passwordFile + ": " + e.getMessage());
        }
      }
      return new HiveSession(
          url, user, password, attempts, Math.round(retryPauseSeconds * 1000), log);
    }

    /** The storage root as a fully qualified URI without a trailing slash. */
    Storage storage() {
      return Storage.of(root);
    }

    /** The DDL's variables. */
    Map<String, String> variables() {
      Map<String, String> v = new LinkedHashMap<>();
      v.put("db", database);
      v.put("root", storage().uri());
      return v;
    }

    /** Runs {@code work} as the keytab's principal when one is given, else as the current user. */
    <T> T as(PrivilegedExceptionAction<T> work) throws Exception {
      if (keytab == null && principal == null) {
        return work.run();
      }
      FraudBatchException.check(
          keytab != null && principal != null, "--keytab and --principal go together");
      FraudBatchException.check(
          Files.isReadable(Path.of(keytab)), "--keytab %s is not a readable file", keytab);
      Configuration conf = new Configuration();
      conf.set("hadoop.security.authentication", "kerberos");
      UserGroupInformation.setConfiguration(conf);
      UserGroupInformation ugi =
          UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal, keytab);
      return ugi.doAs(work);
    }
  }

  /** The storage root, through Hadoop's FileSystem (local, HDFS, anything configured). */
  record Storage(FileSystem fs, String uri) {
    static Storage of(String root) {
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root);
        FileSystem fs = p.getFileSystem(new Configuration());
        String uri = fs.makeQualified(p).toString();
        while (uri.endsWith("/") && uri.length() > 1) {
          uri = uri.substring(0, uri.length() - 1);
        }
        return new Storage(fs, uri);
      } catch (IOException | IllegalArgumentException e) {
        throw new FraudBatchException("Cannot open --root " + root + ": " + e.getMessage());
      }
    }

    org.apache.hadoop.fs.Path path(String relative) {
      return new org.apache.hadoop.fs.Path(uri + "/" + relative);
    }
  }
}
