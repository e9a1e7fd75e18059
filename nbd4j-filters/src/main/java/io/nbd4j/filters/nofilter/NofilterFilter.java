package io.nbd4j.filters.nofilter;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;

import java.io.IOException;

/**
 * {@code --filter=nofilter}: passes everything through unchanged; the cost of one layer, for tests and
 * benchmarks.
 *
 * <p><b>Threads.</b> No state.
 */
public final class NofilterFilter extends DeclaredFilter {
    public NofilterFilter() {
        super("nofilter", "pass every request through unchanged");
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new SameDataHandle(below.open(request));
    }
}
