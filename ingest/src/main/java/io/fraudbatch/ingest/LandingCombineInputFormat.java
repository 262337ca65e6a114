package io.fraudbatch.ingest;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.CombineFileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.CombineFileSplit;

/**
 * Packs many small landing files (Flume rolls one per agent per hour) into splits of up to {@code
 * mapreduce.input.fileinputformat.split.maxsize}, each file read whole, in any sink format.
 */
public final class LandingCombineInputFormat
    extends CombineFileInputFormat<LandingRecordKey, BytesWritable> {
  /** Counter group for what the readers saw; truncated files are listed by name in it. */
  public static final String COUNTERS = "ingest.landing";

  public static final String TRUNCATED = "ingest.truncated-files";

  /** Files read around damage (by name), with the bytes skipped. */
  public static final String DAMAGED = "ingest.damaged-files";

  /** Files that could not be opened or read (by name): set aside, read again next run. */
  public static final String UNREADABLE = "ingest.unreadable-files";

  public LandingCombineInputFormat() {
    setMaxSplitSize(256L * 1024 * 1024);
  }

  @Override
  protected boolean isSplitable(JobContext context, Path filename) {
    return false;
  }

  @Override
  public RecordReader<LandingRecordKey, BytesWritable> createRecordReader(
      InputSplit split, TaskAttemptContext context) {
    return new Reader();
  }

  static final class Reader extends RecordReader<LandingRecordKey, BytesWritable> {
    private CombineFileSplit split;
    private TaskAttemptContext context;
    private int next;
    private LandingFileReader file;
    private String uri;
    private long hour;
    private final LandingRecordKey key = new LandingRecordKey();
    private final BytesWritable value = new BytesWritable();

    @Override
    public void initialize(InputSplit s, TaskAttemptContext ctx) {
      this.split = (CombineFileSplit) s;
      this.context = ctx;
    }

    private boolean openNext() throws IOException {
      if (next >= split.getNumPaths()) {
        return false;
      }
      Path path = split.getPath(next++);
      FileSystem fs = path.getFileSystem(context.getConfiguration());
      try {
        file = new LandingFileReader(fs, path, context.getConfiguration());
      } catch (IOException | RuntimeException e) {
        unreadable(path);
        return true; // file stays null: go on with the next one
      }
      uri = fs.makeQualified(path).toString();
      hour = LandingLayout.hourOf(path);
      context.getCounter(COUNTERS, "FILES_" + file.format()).increment(1);
      context.getCounter(COUNTERS, "BYTES").increment(file.length());
      return true;
    }

    @Override
    public boolean nextKeyValue() throws IOException {
      while (true) {
        if (file == null) {
          if (!openNext()) {
            return false;
          }
          if (file == null) {
            continue;
          }
        }
        boolean more;
        try {
          more = file.next();
        } catch (IOException | RuntimeException e) {
          // An I/O error mid-file (a lost block): what was read stays, the file is read again next
          // run (its rows then count as duplicates of published).
          unreadable(file.path());
          file.close();
          file = null;
          continue;
        }
        if (more) {
          key.set(uri, file.index(), hour);
          value.set(file.body(), 0, file.bodyLength());
          return true;
        }
        if (file.truncated()) {
          context.getCounter(COUNTERS, "FILES_TRUNCATED").increment(1);
          context.getCounter(TRUNCATED, LandingLayout.relativeName(file.path())).increment(1);
        }
        if (file.damaged()) {
          context.getCounter(COUNTERS, "FILES_DAMAGED").increment(1);
          context
              .getCounter(DAMAGED, LandingLayout.relativeName(file.path()))
              .increment(file.bytesSkipped());
        }
        context.getCounter(COUNTERS, "BYTES_SKIPPED").increment(file.bytesSkipped());
        file.close();
        file = null;
      }
    }

    private void unreadable(Path path) {
      context.getCounter(COUNTERS, "FILES_UNREADABLE").increment(1);
      context.getCounter(UNREADABLE, LandingLayout.relativeName(path)).increment(1);
    }

    @Override
    public LandingRecordKey getCurrentKey() {
      return key;
    }

    @Override
    public BytesWritable getCurrentValue() {
      return value;
    }

    @Override
    public float getProgress() {
      return split.getNumPaths() == 0 ? 1f : Math.min(1f, next / (float) split.getNumPaths());
    }

    @Override
    public void close() throws IOException {
      if (file != null) {
        file.close();
      }
    }
  }
}
