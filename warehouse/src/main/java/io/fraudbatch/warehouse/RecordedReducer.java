package io.fraudbatch.warehouse;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Reducer;

/** A reducer whose failure reaches {@link TaskFailures}. */
public abstract class RecordedReducer<KI, VI, KO, VO> extends Reducer<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    TaskFailures.recording(() -> super.run(context));
  }
}
