package io.fraudbatch.ingest;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;

/** Where a landed record came from: its file, its position in it, and the file's hour bucket. */
public final class LandingRecordKey implements Writable {
  private String file = "";
  private long index;
  private long landingHour;

  public LandingRecordKey() {}

  public LandingRecordKey(String file, long index, long landingHour) {
    set(file, index, landingHour);
  }

  void set(String file, long index, long landingHour) {
    this.file = file;
    this.index = index;
    this.landingHour = landingHour;
  }

  public String file() {
    return file;
  }

  public long index() {
    return index;
  }

  /** The start of the Flume hour bucket (epoch ms UTC) the file sat in. */
  public long landingHour() {
    return landingHour;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeUTF(file);
    out.writeLong(index);
    out.writeLong(landingHour);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    file = in.readUTF();
    index = in.readLong();
    landingHour = in.readLong();
  }

  @Override
  public String toString() {
    return file + "#" + index;
  }
}
