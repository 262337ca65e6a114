package io.fraudbatch.warehouse;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Mapper;

/**
 * A mapper whose failure (its own, or its input's: a damaged file) reaches {@link TaskFailures}.
 */
public abstract class RecordedMapper<KI, VI, KO, VO> extends Mapper<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    TaskFailures.recording(() -> super.run(context));
  }
}
