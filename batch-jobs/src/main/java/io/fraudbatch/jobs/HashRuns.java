package io.fraudbatch.jobs;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * A Spark partition's rows sorted by a 64-bit hash column, consumed one run of equal hashes at a
 * time: the jobs shuffle and radix-sort on a hash (one long key, which Spark sorts by its prefix
 * alone, without comparing strings) instead of on string columns. A run normally holds one group
 * (an actor, a window); rows of groups whose hashes collide arrive interleaved in one run, so a
 * subclass keys its state within the run by the group's real columns.
 *
 * @param <T> what a run yields
 */
public abstract class HashRuns<T> implements Iterator<T> {
  private final Iterator<Row> in;
  private final int hashColumn;
  private final ArrayDeque<T> ready = new ArrayDeque<>();
  private Row pending;

  protected HashRuns(Iterator<Row> in, int hashColumn) {
    this.in = in;
    this.hashColumn = hashColumn;
    this.pending = in.hasNext() ? in.next() : null;
  }

  /** Adds one row of the current run. */
  protected abstract void add(Row r);

  /** The run is over: hand its results to {@code out} and forget it. */
  protected abstract void endRun(java.util.function.Consumer<T> out);

  @Override
  public final boolean hasNext() {
    while (ready.isEmpty() && pending != null) {
      long hash = pending.getLong(hashColumn);
      Row r = pending;
      pending = null;
      while (true) {
        add(r);
        if (!in.hasNext()) {
          break;
        }
        r = in.next();
        if (r.getLong(hashColumn) != hash) {
          pending = r;
          break;
        }
      }
      endRun(ready::add);
    }
    return !ready.isEmpty();
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }
}
