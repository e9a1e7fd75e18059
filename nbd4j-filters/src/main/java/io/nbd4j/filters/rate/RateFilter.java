package io.nbd4j.filters.rate;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --filter=rate}: limits the bandwidth of reads and writes, server-wide and per connection,
 * with limits that files may change while the server runs (see the package documentation).
 *
 * <p><b>Threads.</b> Configured on the main thread; the server-wide throttles are made in
 * {@code getReady} and shared by every connection, which also gets throttles of its own.
 */
public final class RateFilter implements Filter {
    private long rate;
    private long connectionRate;
    private Path rateFile;
    private Path connectionRateFile;
    private double burstiness = 2.0;
    private Throttle serverReads;
    private Throttle serverWrites;

    @Override
    public String name() {
        return "rate";
    }

    @Override
    public String description() {
        return "limit the bandwidth of reads and writes";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("rate", "BITSPERSEC", "limit the whole server's reads and writes (each) to BITSPERSEC (suffixes K, M, G)"),
                new Parameter("connection-rate", "BITSPERSEC", "limit each connection's reads and writes (each) to BITSPERSEC"),
                new Parameter("rate-file", "FILE", "read the server-wide rate from FILE while running"),
                new Parameter("connection-rate-file", "FILE", "read the per-connection rate from FILE while running"),
                new Parameter("burstiness", "SECS", "how many seconds' worth of bits an idle client may burst (default 2.0)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "rate" -> rate = parseRate(key, value, rate);
            case "connection-rate" -> connectionRate = parseRate(key, value, connectionRate);
            case "rate-file" -> rateFile = parseFile(key, value);
            case "connection-rate-file" -> connectionRateFile = parseFile(key, value);
            case "burstiness" -> burstiness = parseBurstiness(value);
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
    }

    private static long parseRate(String key, String value, long before) throws ConfigException {
        if (before > 0) {
            throw new ConfigException(key + " is set twice on the command line");
        }
        long r = Values.parseSize(key, value);
        if (r == 0) {
            throw new ConfigException(key + " cannot be 0 (leave it out for no limit)");
        }
        return r;
    }

    private static Path parseFile(String key, String value) throws ConfigException {
        if (value.isEmpty()) {
            throw new ConfigException(key + ": the file name must not be empty");
        }
        return Path.of(value).toAbsolutePath();
    }

    private static double parseBurstiness(String value) throws ConfigException {
        double b;
        try {
            b = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("burstiness: could not parse '" + value + "' (expected a number of seconds, e.g. 2.0)");
        }
        if (!(b > 0) || Double.isInfinite(b)) {
            throw new ConfigException("burstiness: " + value + " must be a positive number of seconds");
        }
        return b;
    }

    @Override
    public void getReady(ThreadModel effective) {
        serverReads = new Throttle(rate, burstiness, rateFile);
        serverWrites = new Throttle(rate, burstiness, rateFile);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new RateHandle(below.open(request), serverReads, serverWrites,
                new Throttle(connectionRate, burstiness, connectionRateFile),
                new Throttle(connectionRate, burstiness, connectionRateFile), request.connection());
    }
}
