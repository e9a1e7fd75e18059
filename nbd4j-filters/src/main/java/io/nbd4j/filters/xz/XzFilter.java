package io.nbd4j.filters.xz;

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
 * {@code --filter=xz}: serves the decompressed contents of an xz file that the layer below provides,
 * read-only, with random access through the file's block index. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the settings.
 */
public final class XzFilter implements Filter {
    /** The largest Java array, which holds one decompressed block. */
    private static final long LARGEST_BLOCK = Integer.MAX_VALUE - 8;

    private static final Parameter MAX_BLOCK = new Parameter("xz-max-block", "SIZE",
            "refuse files with an uncompressed block larger than this (default 512M, at most 2G-9)");
    private static final Parameter MAX_DEPTH = new Parameter("xz-max-depth", "N",
            "decompressed blocks each connection keeps (default 8)");

    private XzSettings settings = XzSettings.DEFAULTS;

    @Override
    public String name() {
        return "xz";
    }

    @Override
    public String description() {
        return "serve an xz-compressed image decompressed, read-only, with random access by block";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(MAX_BLOCK, MAX_DEPTH);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (MAX_BLOCK.matches(key)) {
            long size = Values.parseSize(key, value);
            if (size < 1 || size > LARGEST_BLOCK) {
                throw new ConfigException(key + ": " + value + " is out of range (expected 1 to " + LARGEST_BLOCK + " bytes)");
            }
            settings = new XzSettings(size, settings.maxDepth());
        } else if (MAX_DEPTH.matches(key)) {
            settings = new XzSettings(settings.maxBlock(), (int) Values.parseInteger(key, value, 1, 1 << 20));
        } else {
            Filter.super.config(key, value);
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new XzHandle(below.open(request.readOnlyBelow()), settings);
    }
}
