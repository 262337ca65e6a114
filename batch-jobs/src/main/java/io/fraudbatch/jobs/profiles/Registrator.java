package io.fraudbatch.jobs.profiles;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.fraudbatch.core.anomaly.Pooled;
import io.fraudbatch.core.anomaly.WindowStats;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.core.rules.Confusion;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Kryo settings for our shuffled classes: Spark's Kryo (4.x) cannot build a field serializer for
 * Java records, so records go through Java serialization, except the anomaly job's windows, which
 * are shuffled by the million (Java serialization was most of the scoring stage's time at 20M
 * events) and get a hand-written serializer.
 */
public final class Registrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(ProfileInput.class, new JavaSerializer());
    kryo.register(Confusion.class, new JavaSerializer());
    kryo.register(WindowStats.class, new WindowStatsSerializer());
    kryo.register(Pooled.class, new JavaSerializer());
  }

  /** A window as its fields, in declaration order; the two percentiles nullable. */
  static final class WindowStatsSerializer extends Serializer<WindowStats> {
    @Override
    public void write(Kryo kryo, Output out, WindowStats w) {
      out.writeString(w.keyType());
      out.writeString(w.key());
      out.writeLong(w.windowStart());
      out.writeVarLong(w.events(), true);
      out.writeVarLong(w.actors(), true);
      out.writeVarLong(w.declines(), true);
      out.writeVarLong(w.micro(), true);
      out.writeVarLong(w.newLocationActors(), true);
      out.writeVarLong(w.maxCardsPerDevice(), true);
      writeNullable(out, w.amountP50Cents());
      writeNullable(out, w.amountP95Cents());
    }

    @Override
    public WindowStats read(Kryo kryo, Input in, Class<WindowStats> type) {
      return new WindowStats(
          in.readString(),
          in.readString(),
          in.readLong(),
          in.readVarLong(true),
          in.readVarLong(true),
          in.readVarLong(true),
          in.readVarLong(true),
          in.readVarLong(true),
          in.readVarLong(true),
          readNullable(in),
          readNullable(in));
    }

    private static void writeNullable(Output out, Long v) {
      out.writeBoolean(v != null);
      if (v != null) {
        out.writeLong(v);
      }
    }

    private static Long readNullable(Input in) {
      return in.readBoolean() ? in.readLong() : null;
    }
  }
}
