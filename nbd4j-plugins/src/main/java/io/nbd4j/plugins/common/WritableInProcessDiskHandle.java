package io.nbd4j.plugins.common;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * An {@link InProcessDiskHandle} that advertises every change: write, trim, zero (fast: it never costs
 * more than a write) and extents. A change is final the moment it returns, whether it stored bytes,
 * dropped them or refused them, so flush has nothing to do. The subclass answers the data calls
 * itself, and says whether FUA is native; left alone, FUA is emulated by that free flush.
 *
 * <p><b>Threads.</b> As {@link InProcessDiskHandle}.
 */
public abstract class WritableInProcessDiskHandle extends InProcessDiskHandle {
    protected WritableInProcessDiskHandle(long size) {
        super(size);
    }

    @Override
    public final boolean canWrite() {
        return true;
    }

    @Override
    public final boolean canFlush() {
        return true;
    }

    @Override
    public final boolean canTrim() {
        return true;
    }

    @Override
    public final boolean canZero() {
        return true;
    }

    @Override
    public final boolean canFastZero() {
        return true;
    }

    @Override
    public final boolean canExtents() {
        return true;
    }

    @Override
    public final void flush(int flags) {}

    // Advertised above, so each subclass must say what they do instead of inheriting the refusals.

    @Override
    public abstract void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException;

    @Override
    public abstract void trim(long length, long offset, int flags) throws NbdException;

    @Override
    public abstract void zero(long length, long offset, int flags) throws NbdException;

    @Override
    public abstract void extents(long length, long offset, int flags, Extents extents) throws NbdException;
}
