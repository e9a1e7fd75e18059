package io.nbd4j.filters.tar;

import io.nbd4j.filters.common.WindowHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;

/**
 * One connection's view of a tar entry: the entry's bytes in the layer below, read and written in
 * place. The entry is located by {@link #prepare} (once per server, see {@link TarFilter}).
 *
 * <p><b>Threads.</b> As {@link WindowHandle}: the window is set in {@link #prepare}, before any data call.
 */
final class TarHandle extends WindowHandle {
    private final TarFilter filter;

    TarHandle(Next next, TarFilter filter) {
        super(next);
        this.filter = filter;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        EntryLocation entry = filter.locate(next);
        window(entry.offset(), entry.size());
    }
}
