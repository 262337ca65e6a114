package io.fraudbatch.jobs.profiles;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.fraudbatch.core.anomaly.Pooled;
import io.fraudbatch.core.anomaly.WindowStats;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.core.rules.Confusion;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Kryo settings for our shuffled classes: Spark's Kryo (4.x) cannot build a field serializer for
 * Java records, so records go through Java serialization.
 */
public final class Registrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(ProfileInput.class, new JavaSerializer());
    kryo.register(Confusion.class, new JavaSerializer());
    kryo.register(WindowStats.class, new JavaSerializer());
    kryo.register(Pooled.class, new JavaSerializer());
  }
}
