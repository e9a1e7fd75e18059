package io.nbd4j.filters.scan;

import io.nbd4j.filters.common.Prefetcher;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's scan: prefetches the whole disk in order, {@code scan-size} bytes at a time,
 * through that connection's layers below, from the shared clock (or 0), skipping forward past reads
 * the client made (with {@code scan-ahead}), and starting over at the end (with {@code scan-forever}).
 *
 * <p><b>Threads.</b> {@link #run} on the connection's prefetch thread; {@link #read} from request
 * threads (an atomic maximum). The clock is shared by every connection: an atomic maximum too.
 */
final class Scan {
    private final ScanSettings settings;
    private final AtomicLong clock;
    private final Next below;
    private final Prefetcher prefetcher;
    private final AtomicLong furthestRead = new AtomicLong();

    Scan(ScanSettings settings, AtomicLong clock, Next below, Prefetcher prefetcher) {
        this.settings = settings;
        this.clock = clock;
        this.below = below;
        this.prefetcher = prefetcher;
    }

    /** The client read up to {@code end}. */
    void read(long end) {
        furthestRead.accumulateAndGet(end, Math::max);
    }

    /** Scans until the end of the disk (again and again with {@code scan-forever}) or until stopped. */
    void run() throws IOException {
        long size = below.size();
        do {
            long offset = settings.clock() ? clock.get() : 0;
            while (offset < size && !prefetcher.stopping()) {
                if (settings.ahead()) {
                    offset = Math.max(offset, furthestRead.get());
                }
                long at = offset;
                clock.accumulateAndGet(at, Math::max);
                if (at < size) {
                    below.cache(Math.min(settings.size(), size - at), at, 0);
                }
                offset = at + settings.size();
            }
            if (settings.forever()) {
                clock.set(0);
            }
        } while (settings.forever() && !prefetcher.stopping());
    }
}
