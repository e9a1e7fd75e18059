package io.nbd4j.plugins.partitioning;

import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ZeroBytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One connection's view of the virtual disk. A request is cut at region boundaries: file regions go to
 * their file, table regions are served from memory, padding reads as zeroes. A write may cover tables
 * and padding only with the bytes already there (zeroes for padding), else it fails with {@code EIO}
 * before anything is written.
 *
 * <p><b>Threads.</b> Immutable; every file call is positional, so any number of requests may run at
 * once.
 */
final class PartitioningHandle implements Handle {
    private final DiskLayout layout;
    private final DiskFile[] files;
    private final boolean writable;

    PartitioningHandle(DiskLayout layout, DiskFile[] files, boolean readOnly) {
        this.layout = layout;
        this.files = files;
        this.writable = !readOnly && Arrays.stream(files).allMatch(DiskFile::isWritable);
    }

    @Override public long size() { return layout.size(); }
    @Override public boolean canWrite() { return writable; }
    @Override public boolean canFlush() { return true; }
    @Override public boolean canExtents() { return true; }
    @Override public CacheMode canCache() { return CacheMode.EMULATE; }
    /** Every connection reads and writes the same files through the same descriptors. */
    @Override public boolean canMultiConn() { return true; }

    @Override
    public boolean isRotational() {
        return Arrays.stream(files).anyMatch(DiskFile::isRotational);
    }

    /** One region's share of a request. */
    @FunctionalInterface
    private interface Piece {
        void run(Region region, long offset, int bufferIndex, int length) throws IOException;
    }

    /** Calls {@code piece} for each region's part of {@code [offset, offset + length)}, in order. */
    private void forEachRegion(long offset, int length, Piece piece) throws IOException {
        int done = 0;
        for (int i = layout.indexAt(offset); done < length; i++) {
            Region r = layout.region(i);
            long at = offset + done;
            int n = (int) Math.min(length - done, r.end() - at);
            piece.run(r, at, done, n);
            done += n;
        }
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        int base = buffer.position();
        forEachRegion(offset, buffer.remaining(), (r, at, index, n) -> {
            ByteBuffer part = buffer.slice(base + index, n);
            if (r.isFile()) {
                files[r.file()].read(part, at - r.start());
            } else if (r.isData()) {
                part.put(0, r.data(), (int) (at - r.start()), n);
            } else {
                ZeroBytes.fill(part);
            }
        });
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        if (!writable) {
            throw new NbdException(NbdError.EPERM, "partitioning: this connection is read-only");
        }
        int base = buffer.position();
        forEachRegion(offset, buffer.remaining(), (r, at, index, n) -> {
            ByteBuffer part = buffer.slice(base + index, n);
            if (r.isData() && !part.equals(ByteBuffer.wrap(r.data(), (int) (at - r.start()), n))) {
                throw new NbdException(NbdError.EIO, "partitioning: a write may not change the virtual partition table (at " + at + ")");
            }
            if (!r.isFile() && !r.isData() && !ZeroBytes.isZero(part)) {
                throw new NbdException(NbdError.EIO, "partitioning: only zeroes may be written to the padding between partitions (at " + at + ")");
            }
        });
        forEachRegion(offset, buffer.remaining(), (r, at, index, n) -> {
            if (r.isFile()) {
                files[r.file()].write(buffer.slice(base + index, n), at - r.start());
            }
        });
    }

    @Override
    public void flush(int flags) throws IOException {
        for (DiskFile f : files) {
            f.sync();
        }
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        boolean firstOnly = Flags.has(flags, Flags.REQ_ONE);
        long end = Math.min(offset + length, layout.size());
        long at = offset;
        for (int i = layout.indexAt(offset); at < end; i++) {
            Region r = layout.region(i);
            long pieceEnd = Math.min(end, r.end());
            if (r.isFile()) {
                long shift = r.start();
                files[r.file()].extents(at - shift, pieceEnd - at, firstOnly, (o, l, t) -> {
                    long from = o + shift;
                    long to = Math.min(from + l, pieceEnd);
                    if (to > from) {
                        extents.add(from, to - from, t);
                    }
                });
            } else {
                extents.add(at, pieceEnd - at, r.isData() ? Extents.DATA : Extents.HOLE | Extents.ZERO);
            }
            if (firstOnly) {
                return;
            }
            at = pieceEnd;
        }
    }
}
