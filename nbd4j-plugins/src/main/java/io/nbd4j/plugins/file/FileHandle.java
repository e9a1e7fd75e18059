package io.nbd4j.plugins.file;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection's view of a {@link DiskFile}: answers the capability questions and maps each request
 * onto the file. Also used by the tmpdisk plugin, which owns its file alone.
 *
 * <p>Threads: called concurrently under the PARALLEL thread model; holds no mutable state of its own
 * (the file is thread-safe). {@link #close()} runs once, after the last request.
 */
public final class FileHandle implements Handle {
    private final DiskFile file;
    private final boolean writable;
    private final boolean dropCache;
    private final boolean multiConn;
    private final Runnable onClose;

    /**
     * @param file      the open file
     * @param readOnly  whether the connection must not write even if the file could be written
     * @param dropCache {@code cache=none}: evict each range from the page cache after it is read or written
     * @param multiConn whether every connection to this export shares the same file
     * @param onClose   releases the file when the connection ends
     */
    public FileHandle(DiskFile file, boolean readOnly, boolean dropCache, boolean multiConn, Runnable onClose) {
        this.file = file;
        this.writable = file.isWritable() && !readOnly;
        this.dropCache = dropCache;
        this.multiConn = multiConn;
        this.onClose = onClose;
    }

    @Override public long size() throws IOException { return file.size(); }
    @Override public boolean canWrite() { return writable; }
    @Override public boolean canFlush() { return true; }
    @Override public boolean isRotational() { return file.isRotational(); }
    @Override public boolean canTrim() { return writable; }
    @Override public boolean canZero() { return writable; }
    @Override public boolean canFastZero() { return writable && file.canFastZero(); }
    @Override public FuaMode canFua() { return FuaMode.NATIVE; }
    @Override public CacheMode canCache() { return CacheMode.NATIVE; }
    @Override public boolean canExtents() { return file.canExtents(); }
    @Override public boolean canMultiConn() { return multiConn; }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        int length = buffer.remaining();
        file.read(buffer, offset);
        if (dropCache) {
            file.dropCache(offset, length);
        }
    }

    /**
     * Reads straight from the page cache (see {@code FileMapping}), except under {@code cache=none}: the
     * pages a view leaves in the cache could not be dropped before the server has sent them.
     */
    @Override
    public ByteBuffer readView(long offset, int length) {
        return dropCache ? null : file.view(offset, length);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        requireWritable();
        int length = buffer.remaining();
        file.write(buffer, offset);
        syncIfFua(flags);
        if (dropCache) {
            file.dropCacheAfterWrite(offset, length);
        }
    }

    @Override
    public void flush(int flags) throws IOException {
        file.sync();
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        requireWritable();
        file.trim(offset, length);
        syncIfFua(flags);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        requireWritable();
        file.zero(offset, length, Flags.has(flags, Flags.MAY_TRIM), Flags.has(flags, Flags.FAST_ZERO));
        syncIfFua(flags);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        file.extents(offset, length, Flags.has(flags, Flags.REQ_ONE), extents);
    }

    @Override
    public void cache(long length, long offset, int flags) {
        file.prefetch(offset, length);
    }

    private void syncIfFua(int flags) throws IOException {
        if (Flags.has(flags, Flags.FUA)) {
            file.sync();
        }
    }

    private void requireWritable() throws NbdException {
        if (!writable) {
            throw new NbdException(NbdError.EPERM, file.name() + ": this connection is read-only");
        }
    }

    @Override
    public void close() {
        onClose.run();
    }
}
