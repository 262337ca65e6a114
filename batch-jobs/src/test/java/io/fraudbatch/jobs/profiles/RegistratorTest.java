package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.core.anomaly.WindowStats;
import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** Spark's Kryo with our registrator gives back the windows it was given, nulls included. */
class RegistratorTest {
  @Test
  void windowsSurviveSparksKryo() {
    SerializerInstance kryo =
        new KryoSerializer(
                new SparkConf().set("spark.kryo.registrator", Registrator.class.getName()))
            .newInstance();
    for (WindowStats w :
        new WindowStats[] {
          new WindowStats(
              "merchant", "M\u00e9-1", 1_790_000_000_000L, 12, 9, 3, 1, 2, 4, 150L, 9_000L),
          new WindowStats("ip24", "10.0.0", -3_600_000L, 0, 0, 0, 0, 0, 0, null, null),
          new WindowStats("region", "US-CA", 0, Long.MAX_VALUE, 1, 0, 0, 0, 0, 0L, null)
        }) {
      ByteBuffer b = kryo.serialize(w, ClassTag$.MODULE$.apply(WindowStats.class));
      WindowStats back = kryo.deserialize(b, ClassTag$.MODULE$.apply(WindowStats.class));
      assertThat(back).isEqualTo(w);
    }
  }
}
