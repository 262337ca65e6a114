package io.fraudbatch.jobs.profiles;

import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.jobs.Utf8Words;
import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Spark's internal rows of {@link SparkProfiles#COLUMNS} as core's accumulator input, the amount in
 * US cents: read straight from the rows the sort hands out, without Spark's conversion to external
 * rows (a new string for every string column of every row). Short repetitive values come from a
 * {@link Utf8Words} cache; ids and addresses are decoded each time. One per task.
 */
final class InputRows {
  static final int ACTOR = 0;
  private static final UTF8String MONEY_IN = UTF8String.fromString(ProfileInput.DIRECTION_IN_JSON);

  private final int precision;
  private final int scale;
  private final ReferenceRates rates = ReferenceRates.defaults();
  private final Utf8Words words = new Utf8Words(12);

  /** For rows of {@code amount}'s decimal type (see {@link #amountType}). */
  InputRows(DecimalType amount) {
    this.precision = amount.precision();
    this.scale = amount.scale();
  }

  /**
   * The amount column's type in rows of {@code schema}, which must be {@link
   * SparkProfiles#COLUMNS}.
   */
  static DecimalType amountType(StructType schema) {
    DataType t = schema.fields()[5].dataType();
    if (!(t instanceof DecimalType d)) {
      throw new IllegalArgumentException(
          "decisions.amount is " + t.simpleString() + ", not a decimal: not a warehouse schema");
    }
    return d;
  }

  /** A row's actorId. */
  static String actor(InternalRow r) {
    return r.getUTF8String(ACTOR).toString();
  }

  /** Rows of one partition as (actorId, input) pairs, decoded as they are read. */
  static Iterator<Tuple2<String, ProfileInput>> byActor(
      Iterator<InternalRow> rows, DecimalType amount) {
    InputRows inputs = new InputRows(amount);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Tuple2<String, ProfileInput> next() {
        InternalRow r = rows.next();
        return new Tuple2<>(actor(r), inputs.input(r));
      }
    };
  }

  ProfileInput input(InternalRow r) {
    String currency = word(r, 6);
    return new ProfileInput(
        text(r, 1),
        r.getLong(2),
        word(r, 3),
        word(r, 4),
        r.isNullAt(5)
            ? null
            : rates.usdCents(r.getDecimal(5, precision, scale).toJavaBigDecimal(), currency),
        word(r, 7),
        word(r, 8),
        word(r, 9),
        word(r, 10),
        r.isNullAt(11) ? null : r.getDouble(11),
        r.isNullAt(12) ? null : r.getDouble(12),
        text(r, 13),
        !r.isNullAt(14) && MONEY_IN.equals(r.getUTF8String(14)));
  }

  private String word(InternalRow r, int i) {
    return r.isNullAt(i) ? null : words.get(r.getUTF8String(i));
  }

  private static String text(InternalRow r, int i) {
    return r.isNullAt(i) ? null : r.getUTF8String(i).toString();
  }
}
