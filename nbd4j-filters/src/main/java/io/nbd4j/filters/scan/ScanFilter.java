package io.nbd4j.filters.scan;

import io.nbd4j.filters.common.Prefetcher;
import io.nbd4j.filters.common.PrefetchingHandle;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --filter=scan}: while a client is connected to the default export, prefetches the whole disk
 * in the background. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; the clock is shared by every connection, each of
 * which scans on its own {@link Prefetcher} thread.
 */
public final class ScanFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ScanFilter.class);

    private boolean ahead = true;
    private boolean clock = true;
    private boolean forever;
    private long size = 2 << 20;
    private ScanSettings settings;
    private final AtomicLong position = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String description() {
        return "prefetch the whole disk in the background while a client is connected";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("scan-ahead", "BOOL", "skip forward past where the client reads (default true)"),
                new Parameter("scan-clock", "BOOL", "a new connection goes on where the last scan stopped (default true)"),
                new Parameter("scan-forever", "BOOL", "start again from the beginning after the end (default false)"),
                new Parameter("scan-size", "SIZE", "bytes per prefetch, a power of 2 from 512 to 32M (default 2M)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "scan-ahead" -> ahead = Values.parseBool(key, value);
            case "scan-clock" -> clock = Values.parseBool(key, value);
            case "scan-forever" -> forever = Values.parseBool(key, value);
            case "scan-size" -> size = Values.parseSize(key, value);
            default -> Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (size < 512 || size > 32 << 20 || Long.bitCount(size) != 1) {
            throw new ConfigException("scan-size: " + size + " must be a power of 2 from 512 to 32M");
        }
        settings = new ScanSettings(ahead, clock, forever, size);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        Next next = below.open(request);
        return new PrefetchingHandle(next) {
            private volatile Scan scan;

            @Override
            public void prepare(boolean readOnly) throws IOException {
                if (request.probe()) {
                    return;
                }
                if (!request.exportName().isEmpty()) {
                    LOG.warn("scan: export '{}' is not the default export; not scanning", request.exportName());
                    return;
                }
                if (Prefetcher.worthwhile(name(), request.threadModel(), next, warned)) {
                    prefetcher = new Prefetcher("scan-conn-" + request.connectionId(), 1);
                    scan = new Scan(settings, position, next, prefetcher);
                    prefetcher.submit(scan::run);
                }
            }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                Scan s = scan;
                if (s != null && settings.ahead()) {
                    s.read(offset + buffer.remaining());
                }
                next.pread(buffer, offset, flags);
            }
        };
    }
}
