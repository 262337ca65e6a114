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
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.warehouse.AvroBinaryIn;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Writes profile snapshots' rows straight into Parquet's column writers: each value with the
 * repetition and definition levels that parquet-avro's record shredding would give it (the schema
 * is parquet-avro's conversion of {@code ActorProfile}, three-level lists; the footer carries the
 * same Avro schema and model name), so the files read back through parquet-avro, Spark and Hive
 * exactly as before.
 *
 * <p>Why: an incremental run writes every profile of the snapshot again, and in a profile of the
 * local engine at 20M events (333k actors) parquet-avro's schema walk and record consumer took six
 * times the CPU of the column writers themselves (field lookups by name, logical-type conversions,
 * a bit set per group per row). Apache Iceberg's Parquet writers write the same way (value writers
 * over the column store, levels computed from the schema).
 *
 * <p>The column store is not public API: it is taken from the record consumer parquet-hadoop hands
 * over; if a later Parquet release hides it, this falls back to parquet-avro's own writing (slower,
 * same files).
 */
final class ProfileWriteSupport extends WriteSupport<ActorProfile> {
  /** The columns, in the schema's order (checked against the converted schema in init). */
  static final String[] COLUMNS = {
    "actorId",
    "asOf",
    "firstSeen",
    "lastSeen",
    "eventCount",
    "unconvertedCount",
    "byDecision.list.element.key",
    "byDecision.list.element.count",
    "byDecision.list.element.sumCents",
    "byChannel.list.element.key",
    "byChannel.list.element.count",
    "byChannel.list.element.sumCents",
    "amount.count",
    "amount.sumCents",
    "amount.minCents",
    "amount.maxCents",
    "amount.meanCents",
    "amount.medianCents",
    "amount.p95Cents",
    "amount.histogram.list.element.index",
    "amount.histogram.list.element.count",
    "dailySpend.list.element.day",
    "dailySpend.list.element.count",
    "dailySpend.list.element.sumCents",
    "dailySpend.list.element.hours",
    "spend30.activeDays",
    "spend30.totalCents",
    "spend30.meanCents",
    "spend30.medianCents",
    "spend30.p95Cents",
    "spend90.activeDays",
    "spend90.totalCents",
    "spend90.meanCents",
    "spend90.medianCents",
    "spend90.p95Cents",
    "locations.list.element.country",
    "locations.list.element.region",
    "locations.list.element.city",
    "locations.list.element.lat",
    "locations.list.element.lon",
    "locations.list.element.lastSeen",
    "locations.list.element.lastEventId",
    "ips.list.element.ip",
    "ips.list.element.lastSeen",
    "lastPlace.time",
    "lastPlace.eventId",
    "lastPlace.country",
    "lastPlace.region",
    "lastPlace.city",
    "lastPlace.lat",
    "lastPlace.lon",
    "mcc.list.element.key",
    "mcc.list.element.count",
    "regions.list.element.key",
    "regions.list.element.count",
    "hourOfDay.list.element",
    "homeRegion",
    "dailySpendThresholdCents",
    "newLocationDailySpendThresholdCents"
  };

  static final int BY_DECISION = 6;
  static final int BY_CHANNEL = 9;
  static final int AMOUNT = 12;
  static final int HISTOGRAM = 19;
  static final int DAILY = 21;
  static final int SPEND30 = 25;
  static final int SPEND90 = 30;
  static final int LOCATIONS = 35;
  static final int IPS = 42;
  static final int LAST_PLACE = 44;
  static final int MCC = 51;
  static final int REGIONS = 53;
  static final int HOURS = 55;
  static final int HOME = 56;
  static final int THRESHOLDS = 57;

  private MessageType schema;
  private Configuration conf;
  private ColumnWriter[] w;
  private ColumnWriteStore store;

  /** Whether every column writer writes its levels through {@link LevelRuns} (tests). */
  boolean levelRuns;

  private AvroWriteSupport<ActorProfile> fallback;
  private final boolean direct;

  ProfileWriteSupport() {
    this(true);
  }

  /** {@code direct} false: parquet-avro's writing always (tests compare the two). */
  ProfileWriteSupport(boolean direct) {
    this.direct = direct;
  }

  @Override
  public String getName() {
    return "avro"; // the files are parquet-avro's, footer included
  }

  /** parquet-avro's conversion of {@code ActorProfile} (three-level lists): the files' schema. */
  static MessageType schema() {
    return Schema.PARQUET;
  }

  private static final class Schema {
    static final MessageType PARQUET = convert();

    private static MessageType convert() {
      Configuration c = new Configuration(false);
      c.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
      MessageType t = new AvroSchemaConverter(c).convert(ActorProfile.getClassSchema());
      List<String> paths = t.getColumns().stream().map(d -> String.join(".", d.getPath())).toList();
      if (!paths.equals(List.of(COLUMNS))) {
        throw new IllegalStateException(
            "ActorProfile's Parquet columns changed: " + paths + "; update ProfileWriteSupport");
      }
      // writeAvro reads each column's value as its type, and optional values null first.
      Set<Integer> ints = Set.of(1, HISTOGRAM, DAILY, DAILY + 1, DAILY + 3, SPEND30, SPEND90);
      Set<Integer> doubles =
          Set.of(
              AMOUNT + 4,
              SPEND30 + 2,
              SPEND90 + 2,
              LOCATIONS + 3,
              LOCATIONS + 4,
              LAST_PLACE + 5,
              LAST_PLACE + 6);
      Set<Integer> strings =
          Set.of(
              0,
              BY_DECISION,
              BY_CHANNEL,
              LOCATIONS,
              LOCATIONS + 1,
              LOCATIONS + 2,
              LOCATIONS + 6,
              IPS,
              LAST_PLACE + 1,
              LAST_PLACE + 2,
              LAST_PLACE + 3,
              LAST_PLACE + 4,
              MCC,
              REGIONS,
              HOME);
      for (int i = 0; i < COLUMNS.length; i++) {
        PrimitiveTypeName type = t.getColumns().get(i).getPrimitiveType().getPrimitiveTypeName();
        PrimitiveTypeName expected =
            ints.contains(i)
                ? PrimitiveTypeName.INT32
                : doubles.contains(i)
                    ? PrimitiveTypeName.DOUBLE
                    : strings.contains(i) ? PrimitiveTypeName.BINARY : PrimitiveTypeName.INT64;
        if (type != expected) {
          throw new IllegalStateException(
              "ActorProfile's " + COLUMNS[i] + " is " + type + "; update ProfileWriteSupport");
        }
      }
      checkUnions(ActorProfile.getClassSchema(), new java.util.HashSet<>());
      return t;
    }

    private static void checkUnions(org.apache.avro.Schema s, Set<String> seen) {
      switch (s.getType()) {
        case RECORD -> {
          if (seen.add(s.getFullName())) {
            s.getFields().forEach(f -> checkUnions(f.schema(), seen));
          }
        }
        case ARRAY -> checkUnions(s.getElementType(), seen);
        case UNION -> {
          List<org.apache.avro.Schema> types = s.getTypes();
          if (types.size() != 2 || types.get(0).getType() != org.apache.avro.Schema.Type.NULL) {
            throw new IllegalStateException(
                "ActorProfile has the union " + s + ", not [null, T]; update ProfileWriteSupport");
          }
          checkUnions(types.get(1), seen);
        }
        case MAP ->
            throw new IllegalStateException("ActorProfile has a map; update ProfileWriteSupport");
        default -> {}
      }
    }
  }

  @Override
  public WriteContext init(Configuration configuration) {
    conf = new Configuration(configuration);
    conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
    schema = schema();
    Map<String, String> meta = new HashMap<>();
    meta.put("parquet.avro.schema", ActorProfile.getClassSchema().toString());
    return new WriteContext(schema, meta);
  }

  @Override
  public void prepareForWrite(RecordConsumer consumer) {
    store = direct ? columnStore(consumer) : null;
    if (store == null) {
      fallback = new AvroWriteSupport<>(schema, ActorProfile.getClassSchema(), AvroModel.SPECIFIC);
      fallback.init(conf);
      fallback.prepareForWrite(consumer);
      return;
    }
    w = new ColumnWriter[COLUMNS.length];
    levelRuns = true;
    for (int i = 0; i < w.length; i++) {
      w[i] = store.getColumnWriter(schema.getColumns().get(i));
      levelRuns &= LevelRuns.use(w[i], schema.getColumns().get(i));
    }
  }

  /** The store behind parquet-hadoop's record consumer, or null where it cannot be reached. */
  static ColumnWriteStore columnStore(RecordConsumer consumer) {
    try {
      Field f = consumer.getClass().getDeclaredField("columns");
      f.setAccessible(true);
      return f.get(consumer) instanceof ColumnWriteStore s ? s : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void write(ActorProfile p) {
    if (store == null) {
      fallback.write(p);
      return;
    }
    w[0].write(utf8(p.getActorId()), 0, 0);
    w[1].write((int) p.getAsOf().toEpochDay(), 0, 0);
    w[2].write(p.getFirstSeen().toEpochMilli(), 0, 0);
    w[3].write(p.getLastSeen().toEpochMilli(), 0, 0);
    w[4].write(p.getEventCount(), 0, 0);
    w[5].write(p.getUnconvertedCount(), 0, 0);
    keyCountSums(BY_DECISION, p.getByDecision());
    keyCountSums(BY_CHANNEL, p.getByChannel());
    AmountStats a = p.getAmount();
    w[AMOUNT].write(a.getCount(), 0, 0);
    w[AMOUNT + 1].write(a.getSumCents(), 0, 0);
    w[AMOUNT + 2].write(a.getMinCents(), 0, 0);
    w[AMOUNT + 3].write(a.getMaxCents(), 0, 0);
    w[AMOUNT + 4].write(a.getMeanCents(), 0, 0);
    w[AMOUNT + 5].write(a.getMedianCents(), 0, 0);
    w[AMOUNT + 6].write(a.getP95Cents(), 0, 0);
    histogram(a.getHistogram());
    daily(p.getDailySpend());
    spend(SPEND30, p.getSpend30());
    spend(SPEND90, p.getSpend90());
    locations(p.getLocations());
    ips(p.getIps());
    lastPlace(p.getLastPlace());
    keyCounts(MCC, p.getMcc());
    keyCounts(REGIONS, p.getRegions());
    hours(p.getHourOfDay());
    if (p.getHomeRegion() == null) {
      w[HOME].writeNull(0, 0);
    } else {
      w[HOME].write(utf8(p.getHomeRegion()), 0, 1);
    }
    w[THRESHOLDS].write(p.getDailySpendThresholdCents(), 0, 0);
    w[THRESHOLDS + 1].write(p.getNewLocationDailySpendThresholdCents(), 0, 0);
    store.endRecord();
  }

  /**
   * A profile given as Avro binary ({@code AvroModel.toBytes} of an {@code ActorProfile}): the same
   * column values as {@link #write}, read from the bytes as the Avro specification lays them out
   * (fields in schema order; zigzag varints; lists as blocks of items ending with a zero count;
   * optional values as a union branch, null first) without building the record. Strings are handed
   * to the column writers as slices of {@code avro}, which must not change afterwards.
   */
  void writeAvro(byte[] avro) {
    if (store == null) {
      write(AvroModel.fromBytes(avro, ActorProfile.getClassSchema()));
      return;
    }
    AvroBinaryIn in = new AvroBinaryIn();
    in.buf = avro;
    try {
      writeFields(in);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not an ActorProfile: the bytes end inside a field", e);
    }
  }

  /** The eventCount of a profile given as Avro binary, read without decoding the rest. */
  static long eventCount(byte[] avro) {
    AvroBinaryIn in = new AvroBinaryIn();
    in.buf = avro;
    in.readConstantBinary(); // actorId
    in.readInt(); // asOf
    in.readLong(); // firstSeen
    in.readLong(); // lastSeen
    return in.readLong();
  }

  private void writeFields(AvroBinaryIn in) {
    w[0].write(in.readConstantBinary(), 0, 0);
    w[1].write(in.readInt(), 0, 0);
    for (int c = 2; c < 6; c++) {
      w[c].write(in.readLong(), 0, 0);
    }
    keyCountSums(BY_DECISION, in);
    keyCountSums(BY_CHANNEL, in);
    for (int c = AMOUNT; c < AMOUNT + 4; c++) {
      w[c].write(in.readLong(), 0, 0);
    }
    w[AMOUNT + 4].write(in.readDouble(), 0, 0);
    w[AMOUNT + 5].write(in.readLong(), 0, 0);
    w[AMOUNT + 6].write(in.readLong(), 0, 0);
    histogram(in);
    daily(in);
    spend(SPEND30, in);
    spend(SPEND90, in);
    locations(in);
    ips(in);
    lastPlace(in);
    keyCounts(MCC, in);
    keyCounts(REGIONS, in);
    hours(in);
    if (isNull(in)) {
      w[HOME].writeNull(0, 0);
    } else {
      w[HOME].write(in.readConstantBinary(), 0, 1);
    }
    w[THRESHOLDS].write(in.readLong(), 0, 0);
    w[THRESHOLDS + 1].write(in.readLong(), 0, 0);
    if (in.pos != in.buf.length) {
      throw new IllegalArgumentException("not an ActorProfile: bytes left after the last field");
    }
    store.endRecord();
  }

  private void keyCountSums(int first, AvroBinaryIn in) {
    int i = 0;
    for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
      for (long k = 0; k < n; k++, i++) {
        int r = i == 0 ? 0 : 1;
        w[first].write(in.readConstantBinary(), r, 1);
        w[first + 1].write(in.readLong(), r, 1);
        w[first + 2].write(in.readLong(), r, 1);
      }
    }
    if (i == 0) {
      empty(first, 3);
    }
  }

  private void histogram(AvroBinaryIn in) {
    int i = 0;
    for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
      for (long k = 0; k < n; k++, i++) {
        int r = i == 0 ? 0 : 1;
        w[HISTOGRAM].write(in.readInt(), r, 1);
        w[HISTOGRAM + 1].write(in.readLong(), r, 1);
      }
    }
    if (i == 0) {
      empty(HISTOGRAM, 2);
    }
  }

  private void daily(AvroBinaryIn in) {
    int i = 0;
    for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
      for (long k = 0; k < n; k++, i++) {
        int r = i == 0 ? 0 : 1;
        w[DAILY].write(in.readInt(), r, 1);
        w[DAILY + 1].write(in.readInt(), r, 1);
        w[DAILY + 2].write(in.readLong(), r, 1);
        w[DAILY + 3].write(in.readInt(), r, 1);
      }
    }
    if (i == 0) {
      empty(DAILY, 4);
    }
  }

  private void spend(int first, AvroBinaryIn in) {
    w[first].write(in.readInt(), 0, 0);
    w[first + 1].write(in.readLong(), 0, 0);
    w[first + 2].write(in.readDouble(), 0, 0);
    w[first + 3].write(in.readLong(), 0, 0);
    w[first + 4].write(in.readLong(), 0, 0);
  }

  private void locations(AvroBinaryIn in) {
    int i = 0;
    for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
      for (long k = 0; k < n; k++, i++) {
        int r = i == 0 ? 0 : 1;
        w[LOCATIONS].write(in.readConstantBinary(), r, 1);
        w[LOCATIONS + 1].write(in.readConstantBinary(), r, 1);
        w[LOCATIONS + 2].write(in.readConstantBinary(), r, 1);
        optional(w[LOCATIONS + 3], in, r);
        optional(w[LOCATIONS + 4], in, r);
        w[LOCATIONS + 5].write(in.readLong(), r, 1);
        w[LOCATIONS + 6].write(in.readConstantBinary(), r, 1);
      }
    }
    if (i == 0) {
      empty(LOCATIONS, 7);
    }
  }

  private void ips(AvroBinaryIn in) {
    int i = 0;
    for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
      for (long k = 0; k < n; k++, i++) {
        int r = i == 0 ? 0 : 1;
        w[IPS].write(in.readConstantBinary(), r, 1);
        w[IPS + 1].write(in.readLong(), r, 1);
      }
    }
    if (i == 0) {
      empty(IPS, 2);
    }
  }

  private void lastPlace(AvroBinaryIn in) {
    if (isNull(in)) {
      empty(LAST_PLACE, 7);
      return;
    }
    w[LAST_PLACE].write(in.readLong(), 0, 1);
    for (int c = LAST_PLACE + 1; c < LAST_PLACE + 5; c++) {
      w[c].write(in.readConstantBinary(), 0, 1);
    }
    w[LAST_PLACE + 5].write(in.readDouble(), 0, 1);
    w[LAST_PLACE + 6].write(in.readDouble(), 0, 1);
  }

  private void keyCounts(int first, AvroBinaryIn in) {
    int i = 0;
    for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
      for (long k = 0; k < n; k++, i++) {
        int r = i == 0 ? 0 : 1;
        w[first].write(in.readConstantBinary(), r, 1);
        w[first + 1].write(in.readLong(), r, 1);
      }
    }
    if (i == 0) {
      empty(first, 2);
    }
  }

  private void hours(AvroBinaryIn in) {
    int i = 0;
    for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
      for (long k = 0; k < n; k++, i++) {
        w[HOURS].write(in.readLong(), i == 0 ? 0 : 1, 1);
      }
    }
    if (i == 0) {
      empty(HOURS, 1);
    }
  }

  private static void optional(ColumnWriter c, AvroBinaryIn in, int r) {
    if (isNull(in)) {
      c.writeNull(r, 1);
    } else {
      c.write(in.readDouble(), r, 2);
    }
  }

  /** Reads an optional value's union branch (null first, checked): whether it is null. */
  private static boolean isNull(AvroBinaryIn in) {
    long branch = in.readLong();
    if (branch != 0 && branch != 1) {
      throw new IllegalArgumentException("not an ActorProfile: union branch " + branch);
    }
    return branch == 0;
  }

  /** The snapshot writer for profiles given as Avro binary ({@link #writeAvro}). */
  static final class AvroBinary extends WriteSupport<byte[]> {
    private final ProfileWriteSupport profiles = new ProfileWriteSupport(true);

    @Override
    public String getName() {
      return profiles.getName();
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return profiles.init(configuration);
    }

    @Override
    public void prepareForWrite(RecordConsumer consumer) {
      profiles.prepareForWrite(consumer);
    }

    @Override
    public void write(byte[] avro) {
      profiles.writeAvro(avro);
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
      return profiles.finalizeWrite();
    }
  }

  // Each list in a method of its own: the JIT compiles small methods once, where one method with
  // every loop was compiled again for each hot loop (on-stack replacement), 3 s of C2 time a run.

  private void histogram(List<Bucket> hist) {
    if (hist.isEmpty()) {
      empty(HISTOGRAM, 2);
    }
    for (int i = 0; i < hist.size(); i++) {
      int r = i == 0 ? 0 : 1;
      w[HISTOGRAM].write(hist.get(i).getIndex(), r, 1);
      w[HISTOGRAM + 1].write(hist.get(i).getCount(), r, 1);
    }
  }

  private void daily(List<DaySpend> daily) {
    if (daily.isEmpty()) {
      empty(DAILY, 4);
    }
    for (int i = 0; i < daily.size(); i++) {
      int r = i == 0 ? 0 : 1;
      DaySpend d = daily.get(i);
      w[DAILY].write((int) d.getDay().toEpochDay(), r, 1);
      w[DAILY + 1].write(d.getCount(), r, 1);
      w[DAILY + 2].write(d.getSumCents(), r, 1);
      w[DAILY + 3].write(d.getHours(), r, 1);
    }
  }

  private void locations(List<SeenLocation> locs) {
    if (locs.isEmpty()) {
      empty(LOCATIONS, 7);
    }
    for (int i = 0; i < locs.size(); i++) {
      int r = i == 0 ? 0 : 1;
      SeenLocation l = locs.get(i);
      w[LOCATIONS].write(utf8(l.getCountry()), r, 1);
      w[LOCATIONS + 1].write(utf8(l.getRegion()), r, 1);
      w[LOCATIONS + 2].write(utf8(l.getCity()), r, 1);
      optional(w[LOCATIONS + 3], l.getLat(), r);
      optional(w[LOCATIONS + 4], l.getLon(), r);
      w[LOCATIONS + 5].write(l.getLastSeen().toEpochMilli(), r, 1);
      w[LOCATIONS + 6].write(utf8(l.getLastEventId()), r, 1);
    }
  }

  private void ips(List<SeenIp> ips) {
    if (ips.isEmpty()) {
      empty(IPS, 2);
    }
    for (int i = 0; i < ips.size(); i++) {
      int r = i == 0 ? 0 : 1;
      w[IPS].write(utf8(ips.get(i).getIp()), r, 1);
      w[IPS + 1].write(ips.get(i).getLastSeen().toEpochMilli(), r, 1);
    }
  }

  private void lastPlace(LastPlace lp) {
    if (lp == null) {
      empty(LAST_PLACE, 7);
    } else {
      w[LAST_PLACE].write(lp.getTime().toEpochMilli(), 0, 1);
      w[LAST_PLACE + 1].write(utf8(lp.getEventId()), 0, 1);
      w[LAST_PLACE + 2].write(utf8(lp.getCountry()), 0, 1);
      w[LAST_PLACE + 3].write(utf8(lp.getRegion()), 0, 1);
      w[LAST_PLACE + 4].write(utf8(lp.getCity()), 0, 1);
      w[LAST_PLACE + 5].write(lp.getLat(), 0, 1);
      w[LAST_PLACE + 6].write(lp.getLon(), 0, 1);
    }
  }

  private void hours(List<Long> hours) {
    if (hours.isEmpty()) {
      empty(HOURS, 1);
    }
    for (int i = 0; i < hours.size(); i++) {
      w[HOURS].write((long) hours.get(i), i == 0 ? 0 : 1, 1);
    }
  }

  private static Binary utf8(String s) {
    return Binary.fromConstantByteArray(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** An empty list (or an absent group): one null at level 0 in each of its columns. */
  private void empty(int first, int columns) {
    for (int c = first; c < first + columns; c++) {
      w[c].writeNull(0, 0);
    }
  }

  private static void optional(ColumnWriter c, Double v, int r) {
    if (v == null) {
      c.writeNull(r, 1);
    } else {
      c.write(v, r, 2);
    }
  }

  private void keyCountSums(int first, List<KeyCountSum> l) {
    if (l.isEmpty()) {
      empty(first, 3);
    }
    for (int i = 0; i < l.size(); i++) {
      int r = i == 0 ? 0 : 1;
      w[first].write(utf8(l.get(i).getKey()), r, 1);
      w[first + 1].write(l.get(i).getCount(), r, 1);
      w[first + 2].write(l.get(i).getSumCents(), r, 1);
    }
  }

  private void keyCounts(int first, List<KeyCount> l) {
    if (l.isEmpty()) {
      empty(first, 2);
    }
    for (int i = 0; i < l.size(); i++) {
      int r = i == 0 ? 0 : 1;
      w[first].write(utf8(l.get(i).getKey()), r, 1);
      w[first + 1].write(l.get(i).getCount(), r, 1);
    }
  }

  private void spend(int first, DailySpendStats s) {
    w[first].write(s.getActiveDays(), 0, 0);
    w[first + 1].write(s.getTotalCents(), 0, 0);
    w[first + 2].write(s.getMeanCents(), 0, 0);
    w[first + 3].write(s.getMedianCents(), 0, 0);
    w[first + 4].write(s.getP95Cents(), 0, 0);
  }
}
