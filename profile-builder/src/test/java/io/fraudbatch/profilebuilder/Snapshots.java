package io.fraudbatch.profilebuilder;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Profile snapshots laid out as the profiles job publishes them (ActorProfile Parquet plus {@code
 * _run.json}), folded by core's ProfileAccumulator from seeded synthetic events: for the tests and
 * the load benchmark.
 */
final class Snapshots {
  private Snapshots() {}

  /** Profiles per file of a snapshot. */
  static final int ACTORS_PER_FILE = 125_000;

  static String actor(int i) {
    return String.format("C%015X", i);
  }

  /**
   * Writes {@code <root>/warehouse/profiles/as_of=DAY/part-NNNNN.parquet} with the profiles of
   * {@code actors} actors, each with 1 to {@code maxEvents} events in the 20 days up to {@code
   * asOf}; hands each profile to {@code sink}.
   */
  static int write(
      Path root, LocalDate asOf, int actors, int maxEvents, BiConsumer<String, ActorProfile> sink)
      throws Exception {
    return write(root, asOf, actors, maxEvents, Snapshots::actor, sink);
  }

  /** As {@link #write}, the i-th actor's id given by {@code ids}. */
  static int write(
      Path root,
      LocalDate asOf,
      int actors,
      int maxEvents,
      java.util.function.IntFunction<String> ids,
      BiConsumer<String, ActorProfile> sink)
      throws Exception {
    SplittableRandom r = new SplittableRandom(asOf.toEpochDay());
    long dayEnd = asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    String[] cities = {"Austin", "Paris", "Osaka", "Lyon", "Dallas", "Kyoto"};
    Path dir = root.resolve("warehouse/profiles/as_of=" + asOf);
    Files.createDirectories(dir);
    int n = 0;
    // Several files, as the profiles job writes a large snapshot (one per bucket).
    int parts = Math.max(1, (actors + ACTORS_PER_FILE - 1) / ACTORS_PER_FILE);
    List<ParquetWriter<ActorProfile>> writers = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      writers.add(
          AvroParquetWriter.<ActorProfile>builder(
                  HadoopOutputFile.fromPath(
                      new org.apache.hadoop.fs.Path(
                          dir.resolve(String.format("part-%05d.parquet", i)).toUri()),
                      new Configuration()))
              .withSchema(ActorProfile.getClassSchema())
              .withDataModel(AvroModel.SPECIFIC)
              // As the profiles job writes them (batch-jobs SnapshotFiles): ZSTD, no dictionaries,
              // 64 MB row groups, three-level lists.
              .withCompressionCodec(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD)
              .withDictionaryEncoding(false)
              .withRowGroupSize(64L * 1024 * 1024)
              .config(org.apache.parquet.avro.AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false")
              .build());
    }
    try {
      for (int a = 0; a < actors; a++) {
        String actor = ids.apply(a);
        ProfileAccumulator acc = new ProfileAccumulator();
        int events = 1 + r.nextInt(maxEvents);
        for (int i = 0; i < events; i++) {
          long t = dayEnd - 1 - r.nextLong(20L * 86_400_000L);
          acc.add(
              actor,
              new ProfileInput(
                  actor + "-" + i,
                  t,
                  r.nextInt(20) == 0 ? "DENIED" : "APPROVED",
                  r.nextInt(4) == 0 ? "WEB" : "POS",
                  (long) r.nextInt(1, 50_000),
                  "5411",
                  "US",
                  "US-TX",
                  cities[r.nextInt(cities.length)],
                  30.0,
                  -97.0,
                  null));
        }
        ActorProfile p = acc.finish(asOf);
        writers.get(a % parts).write(p);
        sink.accept(actor, p);
        n++;
      }
    } finally {
      for (ParquetWriter<ActorProfile> w : writers) {
        w.close();
      }
    }
    Files.writeString(
        dir.resolve("_run.json"),
        "{\"runId\" : \"synthetic-"
            + asOf
            + "\", \"completeUpTo\" : \""
            + asOf.plusDays(1)
            + "T00:00:00Z\", \"actorsWritten\" : "
            + n
            + "}");
    return n;
  }

  /** As {@link #write}, keeping every profile. */
  static Map<String, ActorProfile> write(Path root, LocalDate asOf, int actors, int maxEvents)
      throws Exception {
    return write(root, asOf, actors, maxEvents, Snapshots::actor);
  }

  /** As {@link #write}, keeping every profile, the i-th actor's id given by {@code ids}. */
  static Map<String, ActorProfile> write(
      Path root,
      LocalDate asOf,
      int actors,
      int maxEvents,
      java.util.function.IntFunction<String> ids)
      throws Exception {
    Map<String, ActorProfile> m = new TreeMap<>();
    write(root, asOf, actors, maxEvents, ids, m::put);
    return m;
  }
}
