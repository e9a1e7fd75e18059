package io.nbd4j.plugins.split;

import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One connection's view of the concatenated files. The layout (which file covers which bytes) is fixed
 * when the connection opens, from the sizes the files had then; requests that cross a boundary are cut
 * into one call per file.
 *
 * <p>Threads: immutable after construction and PARALLEL-safe: every file call is positional, so requests
 * need no lock (nbdkit serializes the requests of this plugin; we do not need to).
 */
final class SplitHandle implements Handle {
    private final DiskFile[] files;
    private final long[] starts;
    private final long size;
    private final boolean writable;
    private final Runnable onClose;

    /** One file's share of a request: its file index, the offset within the file, and the length. */
    private record Piece(int file, long fileOffset, long length, long diskOffset) {}

    SplitHandle(List<DiskFile> all, boolean readOnly, Runnable onClose) throws IOException {
        List<DiskFile> nonEmpty = new ArrayList<>();
        List<Long> startList = new ArrayList<>();
        long total = 0;
        boolean allWritable = true;
        for (DiskFile f : all) {
            allWritable &= f.isWritable();
            long s = f.size();
            if (s > 0) {
                nonEmpty.add(f);
                startList.add(total);
                total = Math.addExact(total, s);
            }
        }
        this.files = nonEmpty.toArray(DiskFile[]::new);
        this.starts = startList.stream().mapToLong(Long::longValue).toArray();
        this.size = total;
        this.writable = allWritable && !readOnly;
        this.onClose = onClose;
    }

    /** The pieces of {@code [offset, offset + length)}, in order. */
    private List<Piece> pieces(long offset, long length) {
        List<Piece> out = new ArrayList<>(2);
        int i = Arrays.binarySearch(starts, offset);
        if (i < 0) {
            i = -i - 2;
        }
        long position = offset;
        long end = offset + length;
        for (; position < end && i < files.length; i++) {
            long fileEnd = i + 1 < starts.length ? starts[i + 1] : size;
            long n = Math.min(end, fileEnd) - position;
            out.add(new Piece(i, position - starts[i], n, position));
            position += n;
        }
        return out;
    }

    @Override public long size() { return size; }
    @Override public boolean canWrite() { return writable; }
    @Override public boolean canFlush() { return true; }
    @Override public boolean canTrim() { return writable; }
    @Override public boolean canZero() { return writable; }
    @Override public FuaMode canFua() { return FuaMode.NATIVE; }
    @Override public CacheMode canCache() { return CacheMode.NATIVE; }
    @Override public boolean canMultiConn() { return true; }

    @Override
    public boolean isRotational() {
        return Arrays.stream(files).anyMatch(DiskFile::isRotational);
    }

    @Override
    public boolean canFastZero() {
        return writable && Arrays.stream(files).allMatch(DiskFile::canFastZero);
    }

    @Override
    public boolean canExtents() {
        return Arrays.stream(files).anyMatch(DiskFile::canExtents);
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        int base = buffer.position();
        for (Piece p : pieces(offset, buffer.remaining())) {
            files[p.file()].read(buffer.slice(base + (int) (p.diskOffset() - offset), (int) p.length()), p.fileOffset());
        }
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        requireWritable();
        int base = buffer.position();
        List<Piece> pieces = pieces(offset, buffer.remaining());
        for (Piece p : pieces) {
            files[p.file()].write(buffer.slice(base + (int) (p.diskOffset() - offset), (int) p.length()), p.fileOffset());
        }
        syncIfFua(flags, pieces);
    }

    @Override
    public void flush(int flags) throws IOException {
        for (DiskFile f : files) {
            f.sync();
        }
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        requireWritable();
        List<Piece> pieces = pieces(offset, length);
        for (Piece p : pieces) {
            files[p.file()].trim(p.fileOffset(), p.length());
        }
        syncIfFua(flags, pieces);
    }

    /** Zeroes piece by piece; if one piece has no fast path the server rewrites the whole range with zeroes. */
    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        requireWritable();
        List<Piece> pieces = pieces(offset, length);
        for (Piece p : pieces) {
            files[p.file()].zero(p.fileOffset(), p.length(), Flags.has(flags, Flags.MAY_TRIM), Flags.has(flags, Flags.FAST_ZERO));
        }
        syncIfFua(flags, pieces);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        boolean firstOnly = Flags.has(flags, Flags.REQ_ONE);
        for (Piece p : pieces(offset, length)) {
            long shift = starts[p.file()];
            long pieceEnd = p.diskOffset() + p.length();
            // A file that grew after open may report past its share of the disk: clip to the share.
            files[p.file()].extents(p.fileOffset(), p.length(), firstOnly, (o, l, t) -> {
                long start = o + shift;
                extents.add(start, Math.min(start + l, pieceEnd) - start, t);
            });
            if (firstOnly) {
                return;
            }
        }
    }

    @Override
    public void cache(long length, long offset, int flags) {
        for (Piece p : pieces(offset, length)) {
            files[p.file()].prefetch(p.fileOffset(), p.length());
        }
    }

    private void syncIfFua(int flags, List<Piece> pieces) throws IOException {
        if (Flags.has(flags, Flags.FUA)) {
            for (Piece p : pieces) {
                files[p.file()].sync();
            }
        }
    }

    private void requireWritable() throws NbdException {
        if (!writable) {
            throw new NbdException(NbdError.EPERM, "split: this connection is read-only");
        }
    }

    @Override
    public void close() {
        onClose.run();
    }
}
