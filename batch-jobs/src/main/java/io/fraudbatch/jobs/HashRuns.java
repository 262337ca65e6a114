package io.fraudbatch.jobs;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.ToLongFunction;

/**
 * A Spark partition's rows sorted by a 64-bit hash column, consumed one run of equal hashes at a
 * time: the jobs shuffle and radix-sort on a hash (one long key, which Spark sorts by its prefix
 * alone, without comparing strings) instead of on string columns. A run normally holds one group
 * (an actor, a window); rows of groups whose hashes collide arrive interleaved in one run, so a
 * subclass keys its state within the run by the group's real columns.
 *
 * <p>Rows may be Spark's internal rows, which the iterator below reuses: a row is handed to {@link
 * #add} before the next one is read, and a subclass must copy what it keeps of it.
 *
 * @param <R> the row type ({@code Row}, or {@code InternalRow} straight from the sort)
 * @param <T> what a run yields
 */
public abstract class HashRuns<R, T> implements Iterator<T> {
  private final Iterator<R> in;
  private final ToLongFunction<R> hashOf;
  private final ArrayDeque<T> ready = new ArrayDeque<>();
  private R pending;

  protected HashRuns(Iterator<R> in, ToLongFunction<R> hashOf) {
    this.in = in;
    this.hashOf = hashOf;
    this.pending = in.hasNext() ? in.next() : null;
  }

  /** Adds one row of the current run. */
  protected abstract void add(R r);

  /** The run is over: hand its results to {@code out} and forget it. */
  protected abstract void endRun(java.util.function.Consumer<T> out);

  @Override
  public final boolean hasNext() {
    while (ready.isEmpty() && pending != null) {
      long hash = hashOf.applyAsLong(pending);
      R r = pending;
      pending = null;
      while (true) {
        add(r);
        if (!in.hasNext()) {
          break;
        }
        r = in.next();
        if (hashOf.applyAsLong(r) != hash) {
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
