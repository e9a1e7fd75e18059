package io.nbd4j.plugins.memory;

import io.nbd4j.plugins.common.WritableInProcessDiskHandle;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * A connection's view of a {@link PageTable} shared by every connection: the handle of the memory and
 * data plugins. Memory is as durable as it will ever be the moment a write returns, so FUA is native,
 * flush and cache are no-ops, and a flush on any connection covers all of them (multi-conn).
 *
 * Open for extension so that the data plugin, which serves its disk from a page table too, can report
 * extents its own way.
 *
 * <p><b>Threads.</b> Stateless apart from the shared table; any number of threads at once.
 */
public class PageTableHandle extends WritableInProcessDiskHandle {
    private final PageTable table;

    public PageTableHandle(PageTable table, long size) {
        super(size);
        this.table = table;
    }

    /** The shared table this handle reads and writes. */
    protected final PageTable table() {
        return table;
    }

    @Override
    public FuaMode canFua() {
        return FuaMode.NATIVE;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        table.read(buffer, offset);
    }

    @Override
    public ByteBuffer readView(long offset, int length) {
        return table.view(offset, length);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException {
        table.write(buffer, offset);
    }

    /** Trimmed pages are released and read back as zeroes, exactly as {@link #zero}. */
    @Override
    public void trim(long length, long offset, int flags) {
        table.zero(length, offset);
    }

    /** Always fast: releasing or clearing pages never costs more than writing zeroes would. */
    @Override
    public void zero(long length, long offset, int flags) {
        table.zero(length, offset);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws NbdException {
        table.extents(length, offset, Flags.has(flags, Flags.REQ_ONE), extents);
    }
}
