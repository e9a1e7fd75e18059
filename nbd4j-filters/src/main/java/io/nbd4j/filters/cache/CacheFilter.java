package io.nbd4j.filters.cache;

import io.nbd4j.filters.common.BlockFile;
import io.nbd4j.filters.common.FileSwitch;
import io.nbd4j.filters.common.PerExport;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code --filter=cache}: a block cache in a temporary file, shared by all connections to an export.
 * See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread. Connections find their export's cache in a
 * {@link PerExport}; {@link #unload} closes the caches after the last connection.
 */
public final class CacheFilter implements Filter {
    private static final int DEFAULT_BLOCK_SIZE = 64 * 1024;
    /** nbdkit refuses a smaller cache-max-size. */
    private static final long MIN_MAX_SIZE = 1024 * 1024;

    private WriteMode mode = WriteMode.WRITEBACK;
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private BooleanSupplier cacheOnRead = () -> false;
    private long maxSize = -1;
    private int highPercent = CacheLimit.DEFAULT_HIGH_PERCENT;
    private int lowPercent = CacheLimit.DEFAULT_LOW_PERCENT;
    private CacheSettings settings;
    private final PerExport<BlockCache> caches = new PerExport<>("cache");
    private volatile CacheMetrics metrics = CacheMetrics.NONE;

    public CacheFilter() {}

    /** A filter with settings made directly, past the parameters' checks (tests of small limits). */
    CacheFilter(CacheSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public String description() {
        return "cache blocks of the plugin in a temporary file";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter(WriteMode.KEY, "writeback|writethrough|unsafe",
                        "keep writes until flush (writeback, default), write through at once, or ignore flush (unsafe)"),
                new Parameter("cache-min-block-size", "SIZE", "cache block size, a power of 2, at least 4K (default 64K)",
                        List.of("cache-block-size")),
                new Parameter("cache-on-read", "BOOL|/PATH",
                        "also cache what is read (default false); /PATH: only while that file exists"),
                new Parameter("cache-max-size", "SIZE",
                        "limit the cache to about SIZE (at least 1M), dropping least recently used blocks (default: no limit)"),
                new Parameter("cache-high-threshold", "N",
                        "start dropping blocks when the cache holds N% of cache-max-size (default 95)"),
                new Parameter("cache-low-threshold", "N",
                        "stop dropping blocks below N% of cache-max-size, less than the high threshold (default 80)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case WriteMode.KEY -> mode = WriteMode.parse(value);
            case "cache-min-block-size", "cache-block-size" -> blockSize = BlockFile.parseBlockSize(key, value);
            case "cache-on-read" -> cacheOnRead = FileSwitch.parse(key, value);
            case "cache-max-size" -> maxSize = parseMaxSize(key, value);
            case "cache-high-threshold" -> highPercent = parseThreshold(key, value);
            case "cache-low-threshold" -> lowPercent = parseThreshold(key, value);
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
    }

    private static long parseMaxSize(String key, String value) throws ConfigException {
        long size = Values.parseSize(key, value);
        if (size < MIN_MAX_SIZE) {
            throw new ConfigException(key + ": '" + value + "' is too small (at least 1M)");
        }
        return size;
    }

    private static int parseThreshold(String key, String value) throws ConfigException {
        int percent;
        try {
            percent = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": could not parse '" + value + "' (expected a whole percentage above 0)");
        }
        if (percent <= 0) {
            throw new ConfigException(key + ": " + percent + " must be greater than 0 (a percentage of cache-max-size)");
        }
        return percent;
    }

    @Override
    public void configComplete() throws ConfigException {
        if (lowPercent >= highPercent) {
            throw new ConfigException("cache-low-threshold (" + lowPercent + ") must be less than cache-high-threshold ("
                    + highPercent + ")");
        }
        settings = new CacheSettings(mode, blockSize, cacheOnRead, new CacheLimit(maxSize, highPercent, lowPercent));
    }

    @Override
    public void afterStart(ServerControl server) {
        metrics = new CacheMetrics(server.metrics());
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new CacheHandle(below.open(request), settings, caches, metrics, request.exportName());
    }

    /** The cache of an export, once a connection opened it (for tests). */
    BlockCache cacheOf(String export) {
        return caches.peek(export);
    }

    @Override
    public void unload() {
        caches.closeAll();
    }
}
