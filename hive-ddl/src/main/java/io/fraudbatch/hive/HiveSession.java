package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A hive-jdbc connection that survives what a long-lived cluster throws at it: statements that fail
 * for a transient reason (connection refused or dropped, a HiveServer2 restarting) are retried on a
 * fresh connection with a growing pause; a statement the server rejects fails at once, naming the
 * statement, where it came from and the server's message. Every statement the DDL and the
 * registration send is idempotent, so a retry after a lost reply is safe.
 */
public final class HiveSession implements AutoCloseable {
  /** A query's result: column labels and rows as strings (NULL as null). */
  public record Result(List<String> columns, List<List<String>> rows) {}

  private final String url;
  private final String user;
  private final String password;
  private final int attempts;
  private final long firstPauseMs;
  private final PrintStream log;
  private Connection connection;

  /**
   * @param attempts tries per statement (1 = no retry)
   * @param firstPauseMs pause before the first retry; doubled before each next one
   */
  public HiveSession(
      String url, String user, String password, int attempts, long firstPauseMs, PrintStream log) {
    FraudBatchException.check(
        url != null && url.startsWith("jdbc:hive2://"),
        "--url must be a HiveServer2 JDBC URL, jdbc:hive2://HOST:PORT/DB[;principal=hive/_HOST@REALM]"
            + " (got %s)",
        url);
    FraudBatchException.check(attempts >= 1, "attempts must be at least 1 (got %d)", attempts);
    this.url = url;
    this.user = user;
    this.password = password;
    this.attempts = attempts;
    this.firstPauseMs = firstPauseMs;
    this.log = log;
  }

  /** Runs one statement that returns no rows. */
  public void execute(SqlScript.Statement statement) {
    run(
        statement,
        s -> {
          s.execute(statement.sql());
          return null;
        });
  }

  /** Runs one query and returns all its rows. */
  public Result query(SqlScript.Statement statement) {
    return run(
        statement,
        s -> {
          try (ResultSet rs = s.executeQuery(statement.sql())) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              String label = md.getColumnLabel(i);
              // HiveServer2 prefixes labels with the table alias; analysts see the column name.
              columns.add(
                  label.contains(".") ? label.substring(label.lastIndexOf('.') + 1) : label);
            }
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
              List<String> row = new ArrayList<>(columns.size());
              for (int i = 1; i <= columns.size(); i++) {
                row.add(rs.getString(i));
              }
              rows.add(row);
            }
            return new Result(columns, rows);
          }
        });
  }

  /** A query given as text, for statements this tool writes itself. */
  public Result query(String sql) {
    return query(new SqlScript.Statement(sql, "fraud-batch hive", 0));
  }

  /** A statement given as text, for statements this tool writes itself. */
  public void execute(String sql) {
    execute(new SqlScript.Statement(sql, "fraud-batch hive", 0));
  }

  private interface Work<T> {
    T on(Statement s) throws SQLException;
  }

  private <T> T run(SqlScript.Statement statement, Work<T> work) {
    long pause = firstPauseMs;
    for (int attempt = 1; ; attempt++) {
      try {
        if (connection == null || connection.isClosed()) {
          connection = DriverManager.getConnection(url, user, password);
        }
        try (Statement s = connection.createStatement()) {
          return work.on(s);
        }
      } catch (SQLException e) {
        boolean transientFailure = isTransient(e);
        if (!transientFailure || attempt >= attempts) {
          throw new FraudBatchException(message(statement, e, attempt, transientFailure));
        }
        log.printf(
            "hive: %s: %s; retrying in %.1f s (attempt %d of %d)%n",
            statement.where(), firstLine(e), pause / 1000.0, attempt + 1, attempts);
        closeQuietly();
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new FraudBatchException("hive: interrupted while waiting to retry");
        }
        pause *= 2;
      }
    }
  }

  /**
   * Worth retrying: the connection could not be opened or broke (refused, reset, timed out: the
   * network or a restarting HiveServer2), or the driver says so. Not what the server reports about
   * the statement: HiveServer2 reports failed queries with SQLState 08S01 too, so the state alone
   * does not tell.
   */
  static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException
          || t instanceof java.net.SocketException
          || t instanceof java.net.SocketTimeoutException
          || t.getClass().getSimpleName().equals("TTransportException")) {
        return true;
      }
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    return m.startsWith("Could not open client transport");
  }

  static String message(
      SqlScript.Statement statement, SQLException e, int attempt, boolean transientFailure) {
    StringBuilder m = new StringBuilder();
    if (transientFailure) {
      m.append("cannot reach HiveServer2 after ")
          .append(attempt)
          .append(" attempt(s) (")
          .append(firstLine(e))
          .append("). Is it running, and is the --url right?");
    } else {
      m.append("HiveServer2 rejected the statement at ")
          .append(statement.where())
          .append(": ")
          .append(firstLine(e));
      if (e.getSQLState() != null) {
        m.append(" [SQLState ").append(e.getSQLState()).append(']');
      }
    }
    m.append("\n  statement: ").append(statement.summary());
    return m.toString();
  }

  private static String firstLine(Throwable e) {
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // the connection is being replaced
    }
    connection = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
