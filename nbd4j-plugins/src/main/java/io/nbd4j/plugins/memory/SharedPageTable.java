package io.nbd4j.plugins.memory;

import io.nbd4j.spi.Handle;

/**
 * The one {@link PageTable} a plugin serves to every connection, from {@code getReady} until
 * {@code unload}: the lifetime the memory and data plugins share, whatever they first load into it.
 *
 * <p><b>Threads.</b> {@link #serve} and {@link #release} run on the main thread, before serving starts
 * and after every connection has closed; connection threads call {@link #open} in between.
 */
public final class SharedPageTable {
    private PageTable table;

    /** Starts serving {@code loaded}, which this object now owns and will close. */
    public void serve(PageTable loaded) {
        table = loaded;
    }

    /** A handle onto the table for one connection; the disk is {@code size} bytes. */
    public Handle open(long size) {
        return new PageTableHandle(table, size);
    }

    /** Frees the table's memory; does nothing if no table is served. */
    public void release() {
        if (table != null) {
            table.close();
            table = null;
        }
    }

    /** The table being served, or {@code null}; for tests that count allocated pages. */
    PageTable table() {
        return table;
    }
}
