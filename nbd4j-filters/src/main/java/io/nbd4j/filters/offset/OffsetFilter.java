package io.nbd4j.filters.offset;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.List;

/**
 * {@code --filter=offset}: serves a byte range of the layer below as the whole export. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the settings.
 */
public final class OffsetFilter implements Filter {
    private static final Parameter OFFSET = new Parameter("offset", "OFFSET",
            "where the served range starts in the layer below (default 0)");
    private static final Parameter RANGE = new Parameter("range", "LENGTH",
            "how many bytes to serve (default: up to the end of the layer below)");

    private long offset;
    /** Negative: up to the end of the layer below. */
    private long range = -1;

    @Override
    public String name() {
        return "offset";
    }

    @Override
    public String description() {
        return "serve a byte range of the plugin";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(OFFSET, RANGE);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (OFFSET.matches(key)) {
            offset = Values.parseSize(key, value);
        } else if (RANGE.matches(key)) {
            range = Values.parseSize(key, value);
        } else {
            Filter.super.config(key, value);
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new OffsetHandle(below.open(request), offset, range);
    }
}
