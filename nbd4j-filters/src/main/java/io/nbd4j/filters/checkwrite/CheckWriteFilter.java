package io.nbd4j.filters.checkwrite;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;

import java.io.IOException;

/**
 * {@code --filter=checkwrite}: turns every write into a check that it matches what is already there.
 * See the package documentation.
 *
 * <p><b>Threads.</b> No state.
 */
public final class CheckWriteFilter extends DeclaredFilter {
    public CheckWriteFilter() {
        super("checkwrite", "check that writes match the existing content");
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new CheckWriteHandle(below.open(request.readOnlyBelow()));
    }
}
