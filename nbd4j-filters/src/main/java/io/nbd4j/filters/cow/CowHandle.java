package io.nbd4j.filters.cow;

import io.nbd4j.filters.common.BlockFile;
import io.nbd4j.filters.common.PerExport;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The cow filter for one connection: every call goes to the export's shared {@link Overlay}, with this
 * connection's read-only view of the layer below. Whatever that layer can do, the filter can write,
 * trim, zero, flush (a no-op: the overlay is thrown away at exit anyway), cache and report extents.
 *
 * <p><b>Threads.</b> Any number of request threads; the overlay does the locking. The overlay is set
 * in {@link #prepare}, before any data call.
 */
final class CowHandle extends FilterHandle {
    private final PerExport<Overlay> overlays;
    private final CowSettings settings;
    private final String export;
    private volatile Overlay overlay;

    CowHandle(Next next, PerExport<Overlay> overlays, CowSettings settings, String export) {
        super(next);
        this.overlays = overlays;
        this.settings = settings;
        this.export = export;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        long size = next.size();
        Overlay o = overlays.get(export, () -> new Overlay(size, settings.blockSize(), BlockFile.temporaryDirectory()));
        if (o.size() != size) {
            throw new NbdException(NbdError.EIO, "cow: export '" + export + "' is " + size
                    + " bytes now but its overlay was made for " + o.size() + " (the disk under cow must not change size)");
        }
        overlay = o;
    }

    // ---- capabilities: the overlay can do everything ----

    /** The overlay's block size becomes the preferred one when the layer below allows it. */
    @Override
    public BlockSize blockSize() throws IOException {
        long preferred = Math.min(settings.blockSize(), 32L << 20);
        BlockSize below = next.blockSize();
        if (below == null) {
            return new BlockSize(1, preferred, BlockSize.NO_MAXIMUM);
        }
        if (below.maximum() >= preferred) {
            return new BlockSize(below.minimum(), Math.max(below.preferred(), preferred), below.maximum());
        }
        return below;
    }

    @Override public boolean canWrite() { return true; }
    @Override public boolean canFlush() { return true; }
    @Override public boolean canTrim() { return true; }
    @Override public boolean canZero() { return true; }
    /** Advertised so that a client asking for a fast zero hears "not fast" at once rather than zeroing slowly. */
    @Override public boolean canFastZero() { return true; }
    @Override public FuaMode canFua() { return FuaMode.NATIVE; }
    @Override public boolean canExtents() { return true; }
    /** One overlay serves every connection, and flush has nothing to make durable: consistent. */
    @Override public boolean canMultiConn() { return true; }

    /** Native, whatever the layer below does: the overlay decides what reaches it. */
    @Override
    public CacheMode canCache() throws IOException {
        next.canCache();
        return CacheMode.NATIVE;
    }

    // ---- data ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        overlay.read(next, buffer, offset, settings.onRead().getAsBoolean());
    }

    /** FUA needs nothing: the overlay is never durable. */
    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        overlay.write(next, buffer, offset);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        if (Flags.has(flags, Flags.FAST_ZERO)) {
            throw new NbdException(NbdError.ENOTSUP, "cow: zeroing is not faster than writing");
        }
        overlay.zero(next, length, offset, Flags.has(flags, Flags.MAY_TRIM) ? Overlay.TRIMMED : Overlay.ZEROED);
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        overlay.zero(next, length, offset, Overlay.TRIMMED);
    }

    @Override
    public void flush(int flags) {}

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        overlay.cache(next, length, offset, settings.onCache());
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        overlay.extents(next, length, offset, flags, extents);
    }
}
