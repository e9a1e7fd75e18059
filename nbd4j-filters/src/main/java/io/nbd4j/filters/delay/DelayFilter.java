package io.nbd4j.filters.delay;

import io.nbd4j.filters.common.Operation;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --filter=delay}: makes calls, opening and closing wait, to imitate a slow or distant server
 * (see the package documentation).
 *
 * <p><b>Threads.</b> Configured on the main thread; the {@link Delays} it then hands every connection
 * are immutable.
 */
public final class DelayFilter implements Filter {
    private static final String TIME = "SECS|NNms";

    private final Map<Operation, Duration> calls = new EnumMap<>(Operation.class);
    private Duration open = Duration.ZERO;
    private Duration close = Duration.ZERO;
    private boolean fastZero = true;
    private Delays delays = Delays.none();

    @Override
    public String name() {
        return "delay";
    }

    @Override
    public String description() {
        return "delay calls, opening and closing, to imitate a slow server";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("rdelay", TIME, "delay reads", List.of("delay-read", "delay-reads")),
                new Parameter("wdelay", TIME, "delay writes, zeroes and trims"),
                new Parameter("delay-write", TIME, "delay writes", List.of("delay-writes")),
                new Parameter("delay-zero", TIME, "delay zeroes", List.of("delay-zeroes")),
                new Parameter("delay-trim", TIME, "delay trims", List.of("delay-trims", "delay-discard", "delay-discards")),
                new Parameter("delay-extents", TIME, "delay block status", List.of("delay-extent")),
                new Parameter("delay-cache", TIME, "delay cache requests"),
                new Parameter("delay-open", TIME, "delay each connection's opening"),
                new Parameter("delay-close", TIME, "delay each connection's closing"),
                new Parameter("delay-fast-zero", "BOOL", "delay fast zeroes like others (default true); false fails them at once"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (key.equals("delay-fast-zero")) {
            fastZero = Values.parseBool(key, value);
            return;
        }
        Duration d = Values.parseDuration(key, value);
        switch (key) {
            case "rdelay", "delay-read", "delay-reads" -> calls.put(Operation.PREAD, d);
            case "wdelay" -> {
                calls.put(Operation.PWRITE, d);
                calls.put(Operation.ZERO, d);
                calls.put(Operation.TRIM, d);
            }
            case "delay-write", "delay-writes" -> calls.put(Operation.PWRITE, d);
            case "delay-zero", "delay-zeroes" -> calls.put(Operation.ZERO, d);
            case "delay-trim", "delay-trims", "delay-discard", "delay-discards" -> calls.put(Operation.TRIM, d);
            case "delay-extents", "delay-extent" -> calls.put(Operation.EXTENTS, d);
            case "delay-cache" -> calls.put(Operation.CACHE, d);
            case "delay-open" -> open = d;
            case "delay-close" -> close = d;
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
    }

    @Override
    public void configComplete() {
        delays = new Delays(calls, open, close, fastZero);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        if (delays.open().isPositive()) {
            request.connection().sleep(delays.open());
        }
        return new DelayHandle(below.open(request), delays, request.connection());
    }
}
