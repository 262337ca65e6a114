package io.fraudbatch.ingest;

/**
 * Every configuration key of ingest, with its default on the next line. Precedence: command-line
 * option &gt; {@code -D key=value} / {@code -conf file} (Hadoop generic options) &gt; these
 * defaults; resolved once in {@link IngestJob}.
 */
public final class IngestConf {
  private IngestConf() {}

  /** Storage root holding landing/, warehouse/ and staging/ (a local path or hdfs:// URI). */
  public static final String ROOT = "fraud.ingest.root";

  public static final String ROOT_DEFAULT = "./fraud-data";

  /** Suffix Flume gives files it is still writing ({@code hdfs.inUseSuffix}). */
  public static final String IN_USE_SUFFIX = "fraud.ingest.in-use-suffix";

  public static final String IN_USE_SUFFIX_DEFAULT = ".tmp";

  /** Prefix Flume gives files it is still writing ({@code hdfs.inUsePrefix}); empty for none. */
  public static final String IN_USE_PREFIX = "fraud.ingest.in-use-prefix";

  public static final String IN_USE_PREFIX_DEFAULT = "";

  /** Files modified more recently than this are left for the next run (Flume may still append). */
  public static final String MIN_AGE_SECONDS = "fraud.ingest.min-age-seconds";

  public static final long MIN_AGE_SECONDS_DEFAULT = 120;

  /** Days before the oldest landing hour whose published rows are checked for duplicates. */
  public static final String LATE_DAYS = "fraud.ingest.late-days";

  public static final int LATE_DAYS_DEFAULT = 1;

  /**
   * A published day that receives new rows is rewritten whole (its files compacted) once it has
   * this many files under half the target size; until then the new rows are written beside its
   * files, and only its rows' eventIds are read back for the duplicate check. 0: always rewrite.
   */
  public static final String COMPACT_SMALL_FILES = "fraud.ingest.compact-small-files";

  public static final int COMPACT_SMALL_FILES_DEFAULT = 12;

  /** Parquet files are rolled near this size. */
  public static final String TARGET_FILE_SIZE_BYTES = "fraud.ingest.target-file-size-bytes";

  public static final long TARGET_FILE_SIZE_BYTES_DEFAULT = 128L * 1024 * 1024;

  /** Parquet compression: zstd, snappy, gzip or uncompressed. */
  public static final String COMPRESSION = "fraud.ingest.compression";

  public static final String COMPRESSION_DEFAULT = "zstd";

  /** Reduce tasks; 0 picks one per target file size of expected output. */
  public static final String REDUCERS = "fraud.ingest.reducers";

  public static final int REDUCERS_DEFAULT = 0;

  /**
   * Which engine runs the job: {@code local} (in this JVM, one thread per core, shuffling only the
   * records whose eventId may have copies: {@link LocalIngest}), {@code mapreduce} (the MapReduce
   * job: every record shuffled by eventId), or {@code auto}: local when {@code
   * mapreduce.framework.name} is local (MapReduce's local runner would run in this JVM too),
   * MapReduce on a cluster. The local engine hands a run whose ids do not fit its heap to
   * MapReduce.
   */
  public static final String ENGINE = "fraud.ingest.engine";

  public static final String ENGINE_DEFAULT = "auto";

  /** The largest landed record accepted; larger ones are quarantined (TOO_LARGE). */
  public static final String MAX_RECORD_BYTES = "fraud.ingest.max-record-bytes";

  public static final int MAX_RECORD_BYTES_DEFAULT =
      io.fraudbatch.core.event.RecordLimits.DEFAULT.maxRecordBytes();

  /** The longest string field accepted; a record with a longer one is quarantined (TOO_LARGE). */
  public static final String MAX_FIELD_CHARS = "fraud.ingest.max-field-chars";

  public static final int MAX_FIELD_CHARS_DEFAULT =
      io.fraudbatch.core.event.RecordLimits.DEFAULT.maxStringChars();

  /**
   * The secret (at least 16 bytes) that turns identifiers holding a card number into keyed tokens.
   * A file on the root's file system; when unset, {@code <root>/_keys/pan-token.key}, created with
   * 32 random bytes (owner-only) on first use.
   */
  public static final String PAN_TOKEN_KEY_FILE = "fraud.ingest.pan-token-key-file";

  public static final String PAN_TOKEN_KEY_FILE_DEFAULT = "_keys/pan-token.key";

  // Set by the driver for the tasks; not meant to be set by users.
  static final String RUN_ID = "fraud.ingest.internal.run-id";
  static final String RUN_STARTED_MS = "fraud.ingest.internal.run-started-ms";
  static final String ONLY_DT = "fraud.ingest.internal.only-dt";
  static final String WRITE_QUARANTINE = "fraud.ingest.internal.write-quarantine";
  static final String PAN_TOKEN_KEY = "fraud.ingest.internal.pan-token-key";

  /**
   * --reprocess: "runId TAB landing file" lines, so rebuilt rows keep the ingest run that first
   * published them.
   */
  static final String SOURCE_RUNS = "fraud.ingest.internal.source-runs";

  /** Tests (MRUnit has no output committer): where side outputs go instead of the work path. */
  static final String SIDE_OUTPUT_DIR = "fraud.ingest.internal.side-output-dir";
}
