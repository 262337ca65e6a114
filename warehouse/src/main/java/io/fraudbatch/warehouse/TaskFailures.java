package io.fraudbatch.warehouse;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;

/**
 * Why a MapReduce job failed, in words a user can act on. On a cluster the failed attempts'
 * diagnostics say it; MapReduce's local runner keeps none (its job status says "NA" and its task
 * diagnostics are empty), so the jobs' tasks record their first failure here, in the one JVM the
 * local runner runs them in.
 */
public final class TaskFailures {
  private static final AtomicReference<Throwable> FIRST = new AtomicReference<>();

  private TaskFailures() {}

  /** Called by a task whose body failed (keeps the first failure of this JVM's job). */
  public static void record(Throwable t) {
    FIRST.compareAndSet(null, t);
  }

  /** A task's body: {@code Mapper.run} or {@code Reducer.run}. */
  @FunctionalInterface
  interface Body {
    void run() throws IOException, InterruptedException;
  }

  /** Runs a task's body, recording its failure (see {@link RecordedMapper}). */
  static void recording(Body body) throws IOException, InterruptedException {
    try {
      body.run();
    } catch (IOException | RuntimeException | Error e) {
      record(e);
      throw e;
    }
  }

  /** Forgets earlier jobs' failures: called by a driver before it submits a job. */
  public static void clear() {
    FIRST.set(null);
  }

  /**
   * The exception a driver throws for a job that did not succeed: its failure info, then the first
   * failed attempt's diagnostics (a cluster) or the task failure recorded in this JVM (the local
   * runner), which is also the exception's cause.
   */
  public static IOException failed(Job job) throws IOException, InterruptedException {
    StringBuilder m = new StringBuilder("the MapReduce job failed: ");
    m.append(job.getStatus().getFailureInfo());
    Throwable local = FIRST.get();
    if (local != null) {
      m.append(": ").append(oneLine(local));
      return new IOException(m.toString(), local);
    }
    for (TaskCompletionEvent e : job.getTaskCompletionEvents(0, 1000)) {
      if (e.getStatus() == TaskCompletionEvent.Status.FAILED
          || e.getStatus() == TaskCompletionEvent.Status.TIPFAILED) {
        String[] d = job.getTaskDiagnostics(e.getTaskAttemptId());
        if (d != null && d.length > 0) {
          m.append(": ").append(e.getTaskAttemptId()).append(": ").append(d[0]);
          break;
        }
      }
    }
    return new IOException(m.toString());
  }

  /** The messages of {@code t}'s causes, outermost first, on one line. */
  static String oneLine(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null && b.length() < 2000; c = c.getCause()) {
      if (b.length() > 0) {
        b.append(" <- ");
      }
      b.append(String.valueOf(c.getMessage()).replace('\n', ' '));
      if (c.getCause() == c) {
        break;
      }
    }
    return b.toString();
  }
}
