package io.nbd4j.filters.offset;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;

/**
 * {@code --filter=offset}: serves a byte range of the layer below as the whole export. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the settings.
 */
public final class OffsetFilter extends DeclaredFilter {
    private static final Parameter OFFSET = new Parameter("offset", "OFFSET",
            "where the served range starts in the layer below (default 0)");
    private static final Parameter RANGE = new Parameter("range", "LENGTH",
            "how many bytes to serve (default: up to the end of the layer below)");

    private long offset;
    /** Negative: up to the end of the layer below. */
    private long range = -1;

    public OffsetFilter() {
        super("offset", "serve a byte range of the plugin", OFFSET, RANGE);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        long size = Values.parseSize(parameter.key(), value);
        if (parameter == OFFSET) {
            offset = size;
        } else {
            range = size;
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new OffsetHandle(below.open(request), offset, range);
    }
}
