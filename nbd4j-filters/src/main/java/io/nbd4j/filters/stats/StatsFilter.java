package io.nbd4j.filters.stats;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code --filter=stats}: counts operations, bytes and time and writes them to {@code statsfile} when
 * the server stops, in nbdkit's format (see {@link StatsReport}).
 *
 * <p><b>Threads.</b> {@code config}, {@code getReady} and {@code unload} run on the main thread; the file
 * is opened in {@code getReady} (so a bad path fails before serving) and written once in {@code unload},
 * after every connection closed. Connections only touch the lock-free counters.
 */
public final class StatsFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(StatsFilter.class);

    private Path file;
    private boolean append;
    private double threshold = 0.95;
    private Stats stats = new Stats(true);
    private OutputStream out;
    private long startNanos;

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String description() {
        return "write statistics about operations to a file at exit";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("statsfile", "FILE", "(required) the file the statistics are written to at exit"),
                new Parameter("statsappend", "BOOL", "append to the file instead of replacing it (default false)"),
                new Parameter("statsthreshold", "PERCENT",
                        "share of requests the size and alignment breakdown covers, 0 to omit it (default 95)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "statsfile" -> {
                if (value.isEmpty()) {
                    throw new ConfigException("statsfile: the file name must not be empty");
                }
                file = Path.of(value).toAbsolutePath();
            }
            case "statsappend" -> append = Values.parseBool(key, value);
            case "statsthreshold" -> threshold = parsePercent(key, value) / 100.0;
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
    }

    private static int parsePercent(String key, String value) throws ConfigException {
        int percent;
        try {
            percent = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": could not parse '" + value + "' (expected a whole number from 0 to 100)");
        }
        if (percent < 0 || percent > 100) {
            throw new ConfigException(key + ": " + percent + " is out of range (expected 0 to 100 percent)");
        }
        return percent;
    }

    @Override
    public void configComplete() throws ConfigException {
        if (file == null) {
            throw new ConfigException("stats: the statsfile parameter is required (statsfile=FILE)");
        }
        stats = new Stats(threshold != 0);
    }

    @Override
    public void getReady(ThreadModel effective) throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        startNanos = System.nanoTime();
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new StatsHandle(below.open(request), stats);
    }

    @Override
    public void unload() {
        if (out == null) {
            return;
        }
        try (OutputStream o = out) {
            long elapsed = System.nanoTime() - startNanos;
            if (elapsed > 0) {
                o.write(StatsReport.format(stats.snapshot(), elapsed, threshold).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.error("stats: could not write {}: {}", file, e.toString());
        } finally {
            out = null;
        }
    }
}
