package io.fraudbatch.jobs.anomalies;

import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.anomaly.RiskContexts;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.warehouse.CrashPoints;
import io.fraudbatch.warehouse.JobRun;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.RunRecords;
import io.fraudbatch.warehouse.Table;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a run's outputs into its staging directory and publishes them through the warehouse
 * protocol: one anomalies partition per scored day (empty when the day has none), and the risk
 * context as of the last day, built from this run's anomalies and the published ones of earlier
 * days still inside the context period.
 */
final class AnomalyPublisher {
  private final Configuration conf;
  private final FileSystem fs;
  private final Path root;
  private final JobRun run;

  AnomalyPublisher(Configuration conf, FileSystem fs, Path root, JobRun run) {
    this.conf = conf;
    this.fs = fs;
    this.root = root;
    this.run = run;
  }

  /** Stages one partition per day. */
  void stageAnomalies(List<LocalDate> days, List<Anomaly> anomalies) throws IOException {
    Map<LocalDate, List<Anomaly>> byDay = new TreeMap<>();
    for (LocalDate d : days) {
      byDay.put(d, new ArrayList<>());
    }
    for (Anomaly a : anomalies) {
      byDay.get(LocalDate.ofInstant(a.getWindowStart(), ZoneOffset.UTC)).add(a);
    }
    for (Map.Entry<LocalDate, List<Anomaly>> e : byDay.entrySet()) {
      AvroParquet.write(
          conf,
          new Path(run.staging(), StorageLayout.DT + e.getKey() + "/part-00000.parquet"),
          Anomaly.getClassSchema(),
          e.getValue());
    }
  }

  /**
   * Builds and stages the risk context as of {@code to}: this run's anomalies and those published
   * for earlier days within {@code contextMs}.
   */
  List<RiskContext> stageRiskContext(
      List<Anomaly> anomalies, List<LocalDate> days, long to, long contextMs, String runId)
      throws IOException {
    List<Anomaly> context = new ArrayList<>(anomalies);
    PartitionLister.Listing previous = PartitionLister.list(fs, root, Table.ANOMALIES);
    for (LocalDate d = LocalDate.ofInstant(Instant.ofEpochMilli(to - contextMs), ZoneOffset.UTC);
        d.isBefore(days.get(0));
        d = d.plusDays(1)) {
      Optional<PartitionLister.Partition> published = previous.get(d.toString());
      if (published.isPresent()) {
        for (FileStatus s : fs.listStatus(published.get().location())) {
          if (s.getPath().getName().endsWith(".parquet")) {
            AvroParquet.<Anomaly>read(conf, s.getPath(), context::add);
          }
        }
      }
    }
    List<RiskContext> risk = RiskContexts.build(context, to, contextMs, runId);
    AvroParquet.write(
        conf,
        new Path(riskContextDir(days), "part-00000.parquet"),
        RiskContext.getClassSchema(),
        risk);
    return risk;
  }

  private Path riskContextDir(List<LocalDate> days) {
    return new Path(
        run.staging(), "risk_context/" + StorageLayout.AS_OF + days.get(days.size() - 1));
  }

  /** Places every staged partition and commits the run with its record. */
  void publish(List<LocalDate> days, String record) throws IOException {
    for (LocalDate d : days) {
      Path dir = new Path(run.staging(), StorageLayout.DT + d);
      fs.mkdirs(dir); // a day without anomalies publishes an empty partition
      run.publishVersion(Table.ANOMALIES, d.toString(), dir);
    }
    run.publishVersion(
        Table.RISK_CONTEXT, days.get(days.size() - 1).toString(), riskContextDir(days));
    CrashPoints.reach("anomalies-staged");
    run.commit(record, RunRecords.AnomaliesRun.class);
  }
}
