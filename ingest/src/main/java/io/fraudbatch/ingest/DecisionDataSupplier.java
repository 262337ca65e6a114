package io.fraudbatch.ingest;

import org.apache.avro.generic.GenericData;
import org.apache.parquet.avro.AvroDataSupplier;

/**
 * parquet-avro's data model for reading published rows back as {@code DecisionEvent}s: the specific
 * model with the decimal and timestamp conversions (the stock SpecificDataSupplier has none, so
 * decimals arrive as raw fixed bytes).
 */
public final class DecisionDataSupplier implements AvroDataSupplier {
  @Override
  public GenericData get() {
    return CandidateCodec.MODEL;
  }
}
