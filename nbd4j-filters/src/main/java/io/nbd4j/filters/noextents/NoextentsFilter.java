package io.nbd4j.filters.noextents;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;

import java.io.IOException;

/**
 * {@code --filter=noextents}: hides the plugin's block status, so the disk looks fully allocated.
 * See the package documentation.
 *
 * <p><b>Threads.</b> No state.
 */
public final class NoextentsFilter extends DeclaredFilter {
    public NoextentsFilter() {
        super("noextents", "make the plugin look fully allocated");
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new SameDataHandle(below.open(request)) {
            @Override
            public boolean canExtents() {
                return false;
            }
        };
    }
}
