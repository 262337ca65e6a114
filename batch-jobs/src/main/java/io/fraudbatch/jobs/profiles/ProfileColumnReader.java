package io.fraudbatch.jobs.profiles;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.AmountStats;
import io.fraudbatch.avro.Bucket;
import io.fraudbatch.avro.DailySpendStats;
import io.fraudbatch.avro.DaySpend;
import io.fraudbatch.avro.KeyCount;
import io.fraudbatch.avro.KeyCountSum;
import io.fraudbatch.avro.LastPlace;
import io.fraudbatch.avro.SeenIp;
import io.fraudbatch.avro.SeenLocation;
import io.fraudbatch.core.profile.EpochDays;
import io.fraudbatch.core.profile.ProfileRecords;
import io.fraudbatch.warehouse.PageCodecs;
import io.fraudbatch.warehouse.PageColumn;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a snapshot file written in {@link ProfileWriteSupport}'s layout column by column into
 * profiles, the mirror of that writer: each column chunk is decoded a page at a time ({@link
 * PageColumn}), each row's values are taken column by column, a list's length from the repetition
 * levels of its first column. parquet-avro's record assembly (converters per field, logical-type
 * conversions, records built through the data model) was 44% of the local engine's CPU at 20M
 * events once the writing was direct; parquet-column's value-at-a-time column readers then took
 * half of what was left. Files of another schema (an older snapshot) or with encodings {@link
 * PageColumn} does not decode are not for this reader ({@link #isDirect}): {@link
 * SnapshotFiles#reader} reads those through parquet-avro. Page CRCs are checked as the
 * configuration says ({@code parquet.page.verify-checksum.enabled}), as parquet-avro's reader does.
 */
final class ProfileColumnReader implements SnapshotFiles.ProfileSource {
  private final Path path;
  private final ParquetFileReader file;
  private final MessageType schema;
  private final PageColumn[] c;
  private long rowsLeft;

  /** Whether the file has the layout this reader (and the snapshot writer) uses. */
  boolean isDirect() {
    return schema.equals(ProfileWriteSupport.schema())
        && file.getFooter().getBlocks().stream()
            .flatMap(b -> b.getColumns().stream())
            .allMatch(chunk -> PageColumn.decodes(chunk.getEncodings()));
  }

  ProfileColumnReader(Configuration conf, Path path) throws IOException {
    this.path = path;
    file =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(path, conf),
            HadoopReadOptions.builder(conf, path).withCodecFactory(new PageCodecs(conf)).build());
    schema = file.getFooter().getFileMetaData().getSchema();
    c = new PageColumn[schema.getColumns().size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = new PageColumn(schema.getColumns().get(i));
    }
  }

  @Override
  public ActorProfile read() throws IOException {
    try {
      return next();
    } catch (IOException | RuntimeException e) {
      // Parquet's own messages (a page failing its CRC, say) do not name the file.
      throw new IOException("Cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private ActorProfile next() throws IOException {
    while (rowsLeft == 0) {
      PageReadStore rowGroup = file.readNextRowGroup();
      if (rowGroup == null) {
        return null;
      }
      for (PageColumn col : c) {
        col.open(rowGroup.getPageReader(col.descriptor()));
      }
      rowsLeft = rowGroup.getRowCount();
    }
    rowsLeft--;
    ActorProfile p = new ActorProfile();
    p.setActorId(c[0].nextString());
    p.setAsOf(EpochDays.of(c[1].nextInt()));
    p.setFirstSeen(Instant.ofEpochMilli(c[2].nextLong()));
    p.setLastSeen(Instant.ofEpochMilli(c[3].nextLong()));
    p.setEventCount(c[4].nextLong());
    p.setUnconvertedCount(c[5].nextLong());
    p.setByDecision(keyCountSums(ProfileWriteSupport.BY_DECISION));
    p.setByChannel(keyCountSums(ProfileWriteSupport.BY_CHANNEL));
    int a = ProfileWriteSupport.AMOUNT;
    AmountStats amount = new AmountStats();
    amount.setCount(c[a].nextLong());
    amount.setSumCents(c[a + 1].nextLong());
    amount.setMinCents(c[a + 2].nextLong());
    amount.setMaxCents(c[a + 3].nextLong());
    amount.setMeanCents(c[a + 4].nextDouble());
    amount.setMedianCents(c[a + 5].nextLong());
    amount.setP95Cents(c[a + 6].nextLong());
    amount.setHistogram(histogram());
    p.setAmount(amount);
    p.setDailySpend(daily());
    p.setSpend30(spend(ProfileWriteSupport.SPEND30));
    p.setSpend90(spend(ProfileWriteSupport.SPEND90));
    p.setLocations(locations());
    p.setIps(ips());
    p.setLastPlace(lastPlace());
    p.setMcc(keyCounts(ProfileWriteSupport.MCC));
    p.setRegions(keyCounts(ProfileWriteSupport.REGIONS));
    p.setHourOfDay(hours());
    int home = ProfileWriteSupport.HOME;
    p.setHomeRegion(present(home, 1) ? c[home].nextString() : null);
    int t = ProfileWriteSupport.THRESHOLDS;
    p.setDailySpendThresholdCents(c[t].nextLong());
    p.setNewLocationDailySpendThresholdCents(c[t + 1].nextLong());
    return p;
  }

  // Each list in a method of its own: the JIT compiles small methods once, where one method with
  // every loop was compiled again for each hot loop (on-stack replacement).

  private List<Bucket> histogram() {
    int h = ProfileWriteSupport.HISTOGRAM;
    List<Bucket> hist = new ArrayList<>();
    if (present(h, 2)) {
      do {
        hist.add(ProfileRecords.bucket(c[h].nextInt(), c[h + 1].nextLong()));
      } while (c[h].repeats());
    }
    return hist;
  }

  private List<DaySpend> daily() {
    int dl = ProfileWriteSupport.DAILY;
    List<DaySpend> daily = new ArrayList<>();
    if (present(dl, 4)) {
      do {
        daily.add(
            ProfileRecords.daySpend(
                EpochDays.of(c[dl].nextInt()),
                c[dl + 1].nextInt(),
                c[dl + 2].nextLong(),
                c[dl + 3].nextInt()));
      } while (c[dl].repeats());
    }
    return daily;
  }

  private List<SeenLocation> locations() {
    int l = ProfileWriteSupport.LOCATIONS;
    List<SeenLocation> locs = new ArrayList<>();
    if (present(l, 7)) {
      do {
        SeenLocation s = new SeenLocation();
        s.setCountry(c[l].nextString());
        s.setRegion(c[l + 1].nextString());
        s.setCity(c[l + 2].nextString());
        s.setLat(optional(c[l + 3]));
        s.setLon(optional(c[l + 4]));
        s.setLastSeen(Instant.ofEpochMilli(c[l + 5].nextLong()));
        s.setLastEventId(c[l + 6].nextString());
        locs.add(s);
      } while (c[l].repeats());
    }
    return locs;
  }

  private List<SeenIp> ips() {
    int ip = ProfileWriteSupport.IPS;
    List<SeenIp> ips = new ArrayList<>();
    if (present(ip, 2)) {
      do {
        ips.add(new SeenIp(c[ip].nextString(), Instant.ofEpochMilli(c[ip + 1].nextLong())));
      } while (c[ip].repeats());
    }
    return ips;
  }

  private LastPlace lastPlace() {
    int lp = ProfileWriteSupport.LAST_PLACE;
    if (!present(lp, 7)) {
      return null;
    }
    LastPlace last = new LastPlace();
    last.setTime(Instant.ofEpochMilli(c[lp].nextLong()));
    last.setEventId(c[lp + 1].nextString());
    last.setCountry(c[lp + 2].nextString());
    last.setRegion(c[lp + 3].nextString());
    last.setCity(c[lp + 4].nextString());
    last.setLat(c[lp + 5].nextDouble());
    last.setLon(c[lp + 6].nextDouble());
    return last;
  }

  private List<Long> hours() {
    int hr = ProfileWriteSupport.HOURS;
    List<Long> hours = new ArrayList<>(24);
    if (present(hr, 1)) {
      do {
        hours.add(c[hr].nextLong());
      } while (c[hr].repeats());
    }
    return hours;
  }

  /**
   * Whether the list (or optional group or value) starting at column {@code first} has values in
   * this row; if not, the one null it has in each of its {@code columns} columns is consumed.
   */
  private boolean present(int first, int columns) {
    if (c[first].def() > 0) {
      return true;
    }
    for (int i = first; i < first + columns; i++) {
      c[i].skip();
    }
    return false;
  }

  private static Double optional(PageColumn col) {
    if (col.def() < 2) {
      col.skip();
      return null;
    }
    return col.nextDouble();
  }

  private List<KeyCountSum> keyCountSums(int first) {
    List<KeyCountSum> l = new ArrayList<>();
    if (present(first, 3)) {
      do {
        l.add(
            ProfileRecords.keyCountSum(
                c[first].nextString(), c[first + 1].nextLong(), c[first + 2].nextLong()));
      } while (c[first].repeats());
    }
    return l;
  }

  private List<KeyCount> keyCounts(int first) {
    List<KeyCount> l = new ArrayList<>();
    if (present(first, 2)) {
      do {
        l.add(ProfileRecords.keyCount(c[first].nextString(), c[first + 1].nextLong()));
      } while (c[first].repeats());
    }
    return l;
  }

  private DailySpendStats spend(int first) {
    return ProfileRecords.dailySpendStats(
        c[first].nextInt(),
        c[first + 1].nextLong(),
        c[first + 2].nextDouble(),
        c[first + 3].nextLong(),
        c[first + 4].nextLong());
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
