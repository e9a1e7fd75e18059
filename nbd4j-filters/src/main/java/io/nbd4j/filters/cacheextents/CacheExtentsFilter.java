package io.nbd4j.filters.cacheextents;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;

import java.io.IOException;

/**
 * {@code --filter=cacheextents}: remembers the last block status answer of the layer below. See the
 * package documentation.
 *
 * <p><b>Threads.</b> The cache is shared by all connections and guards itself.
 */
public final class CacheExtentsFilter extends DeclaredFilter {
    private final ExtentCache cache = new ExtentCache();

    public CacheExtentsFilter() {
        super("cacheextents", "cache the last block status answer of the plugin");
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new CacheExtentsHandle(below.open(request), cache, request.exportName());
    }
}
