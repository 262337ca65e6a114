package io.fraudbatch.ingest;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local filesystem with file status and permissions through java.nio instead of a forked {@code
 * ls}/{@code chmod} per file, which is what Hadoop's local filesystem does without its native
 * library: thousands of small landing files meant thousands of processes before the job even
 * started. Used for {@code file:} paths in local runs ({@code fs.file.impl}); HDFS is untouched.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw (checksum-less) layer with NIO-backed status. */
  public static final class Raw extends RawLocalFileSystem {
    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return status(makeQualified(f), pathToFile(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      File dir = pathToFile(f);
      if (!dir.exists()) {
        throw new FileNotFoundException("File " + f + " does not exist");
      }
      if (!dir.isDirectory()) {
        return new FileStatus[] {getFileStatus(f)};
      }
      String[] names = dir.list();
      if (names == null) {
        throw new IOException("Cannot list " + f);
      }
      Path q = makeQualified(f);
      FileStatus[] out = new FileStatus[names.length];
      int n = 0;
      for (String name : names) {
        try {
          out[n] = status(new Path(q, name), new File(dir, name));
          n++;
        } catch (FileNotFoundException e) {
          // deleted while listing
        }
      }
      return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Set<PosixFilePermission> perms =
          java.nio.file.attribute.PosixFilePermissions.fromString(
              permission.toString().substring(0, 9));
      Files.setPosixFilePermissions(pathToFile(p).toPath(), perms);
    }

    private FileStatus status(Path qualified, File file) throws IOException {
      PosixFileAttributes a;
      try {
        a =
            Files.readAttributes(
                file.toPath(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("File " + qualified + " does not exist");
      }
      short mode = 0;
      for (PosixFilePermission p : a.permissions()) {
        mode |= (short) (1 << (8 - p.ordinal()));
      }
      return new FileStatus(
          a.isDirectory() ? 0 : a.size(),
          a.isDirectory(),
          1,
          getDefaultBlockSize(qualified),
          a.lastModifiedTime().toMillis(),
          a.lastAccessTime().toMillis(),
          new FsPermission(mode),
          a.owner().getName(),
          a.group().getName(),
          qualified);
    }
  }
}
