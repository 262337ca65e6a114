package io.fraudbatch.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class CliTest {
  static final String CRC = "could not verify page integrity, CRC checksum verification failed";

  @Test
  void aPageFailingItsCrcIsOneLineNamingTheFileWhereverTheEngineWrappedIt() {
    // Spark: the file in the outer exception, Parquet's message at the root.
    Exception spark =
        new RuntimeException(
            "Job aborted",
            new IllegalStateException(
                "Encountered error while reading file"
                    + " file:///data/warehouse/decisions/dt=2026-10-01/v-1/part-0.parquet. Details:",
                new IOException(CRC)));
    assertThat(Cli.damagedParquet(spark))
        .isEqualTo(
            "Cannot read file:///data/warehouse/decisions/dt=2026-10-01/v-1/part-0.parquet: a page"
                + " fails its CRC checksum, the file is damaged; nothing was published. Restore the"
                + " file from a copy or rebuild its partition (decisions: ingest --reprocess DAY),"
                + " then run again.");
    // MapReduce on a cluster: the attempt's diagnostics, one long text, an hdfs URI.
    Exception mr =
        new IOException(
            "the MapReduce job failed: Task failed: attempt_1_0001_m_000000_0: Error:"
                + " org.apache.parquet.io.ParquetDecodingException: Can not read value at 0 in"
                + " block -1 in file hdfs://nn:8020/fraud/warehouse/decisions/dt=2026-10-01/v-2/p.parquet"
                + "\n\tat ...\nCaused by: "
                + CRC);
    assertThat(Cli.damagedParquet(mr))
        .startsWith(
            "Cannot read hdfs://nn:8020/fraud/warehouse/decisions/dt=2026-10-01/v-2/p.parquet: a"
                + " page fails");
    assertThat(Cli.damagedParquet(new IOException(CRC))).startsWith("Cannot read a Parquet file:");
  }

  @Test
  void otherFailuresAreNotCalledDamage() {
    assertThat(
            Cli.damagedParquet(
                new IOException("Can not read value at 0 in block -1 in file /x/y.parquet")))
        .isNull();
    assertThat(Cli.damagedParquet(new RuntimeException((String) null))).isNull();
  }

  @Command(name = "reads")
  static final class Reads implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      throw new IOException(
          "the MapReduce job failed: NA", new IOException(CRC + " in /w/a.parquet"));
    }
  }

  @Test
  void aCommandStoppedByADamagedFileExitsTwoWithThatLineAndNoTrace() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.execute(new Reads(), "reads", new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "reads: Cannot read /w/a.parquet: a page fails its CRC checksum, the file is damaged;"
                + " nothing was published. Restore the file from a copy or rebuild its partition"
                + " (decisions: ingest --reprocess DAY), then run again."
                + System.lineSeparator());
  }
}
