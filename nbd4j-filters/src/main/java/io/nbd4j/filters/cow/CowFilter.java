package io.nbd4j.filters.cow;

import io.nbd4j.filters.common.BlockFile;
import io.nbd4j.filters.common.FileSwitch;
import io.nbd4j.filters.common.PerExport;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code --filter=cow}: a private writable overlay over a read-only disk. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread. Connections find their export's overlay in a
 * {@link PerExport}; {@link #unload} closes the overlays after the last connection.
 */
public final class CowFilter implements Filter {
    private static final int DEFAULT_BLOCK_SIZE = 64 * 1024;

    private int blockSize = DEFAULT_BLOCK_SIZE;
    private boolean onCache;
    private BooleanSupplier onRead = () -> false;
    private CowSettings settings;
    private final PerExport<Overlay> overlays = new PerExport<>("cow");

    @Override
    public String name() {
        return "cow";
    }

    @Override
    public String description() {
        return "a private writable overlay (copy on write) over a read-only disk";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("cow-block-size", "SIZE", "overlay block size, a power of 2 from 4K to 1G (default 64K)"),
                new Parameter("cow-on-cache", "BOOL", "keep what cache (prefetch) requests fetch in the overlay (default false)"),
                new Parameter("cow-on-read", "BOOL|/PATH",
                        "keep what reads fetch in the overlay (default false); /PATH: only while that file exists"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "cow-block-size" -> blockSize = BlockFile.parseBlockSize(key, value);
            case "cow-on-cache" -> onCache = Values.parseBool(key, value);
            case "cow-on-read" -> onRead = FileSwitch.parse(key, value);
            default -> Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() {
        settings = new CowSettings(blockSize, onCache, onRead);
    }

    /** The layer below is always opened read-only: nothing is ever written to it. */
    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new CowHandle(below.open(request.readOnlyBelow()), overlays, settings, request.exportName());
    }

    /** The overlay of an export, once a connection opened it (for tests). */
    Overlay overlayOf(String export) {
        return overlays.peek(export);
    }

    @Override
    public void unload() {
        overlays.closeAll();
    }
}
