package io.nbd4j.filters.log;

import io.nbd4j.spi.BelowAnswer;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@code --filter=log}: logs every call through the filter to a file, in nbdkit's format, and/or to a
 * script (see the package documentation).
 *
 * <p><b>Threads.</b> {@code config}, {@code getReady} and {@code unload} run on the main thread; the
 * file is opened in {@code getReady}, so a bad path stops the server from starting. Connections,
 * listings and preconnects number themselves with atomic counters; the {@link EventLog} is shared.
 */
public final class LogFilter implements Filter {
    static final Parameter LOGFILE = new Parameter("logfile", "FILE", "write the log to FILE");
    static final Parameter LOGSCRIPT = new Parameter("logscript", "SCRIPT", "run the shell SCRIPT (bash) for each log entry");
    static final Parameter LOGAPPEND = new Parameter("logappend", "BOOL", "append to the log file instead of replacing it (default false)");

    private Path file;
    private String script;
    private boolean append;
    private EventLog log = new EventLog(null, null);
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong preconnects = new AtomicLong();
    private final AtomicLong listings = new AtomicLong();

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String description() {
        return "log every call to a file or a script";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(LOGFILE, LOGSCRIPT, LOGAPPEND);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "logfile" -> {
                if (value.isEmpty()) {
                    throw new ConfigException("logfile: the file name must not be empty");
                }
                file = Path.of(value).toAbsolutePath();
            }
            case "logscript" -> script = value;
            case "logappend" -> append = Values.parseBool(key, value);
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
    }

    @Override
    public void getReady(ThreadModel effective) throws IOException {
        LogFile logFile = null;
        if (file != null) {
            try {
                logFile = new LogFile(file, append);
            } catch (IOException e) {
                throw new IOException("logfile: cannot open " + file + ": " + e.getMessage(), e);
            }
        }
        log = new EventLog(logFile, script == null ? null : new LogScript(script));
        // nbdkit's thread model numbers: serialize_connections 0 … parallel 3, our enum's order
        log.print(0, "Ready", "thread_model=" + effective.ordinal());
    }

    /** Entered before the layers beneath are asked, so a failing listing is logged with its error. */
    @Override
    public List<Export> listExportsLazily(boolean readOnly, boolean tls, BelowAnswer<List<Export>> answer) throws IOException {
        long id = listings.incrementAndGet();
        log.enter(0, id, "ListExports", "readonly=" + bit(readOnly) + " tls=" + bit(tls));
        List<Export> below;
        try {
            below = answer.get();
        } catch (IOException | RuntimeException e) {
            log.leave(0, id, "ListExports", LogHandle.failed(e));
            throw e;
        }
        String names = below.stream().map(e -> ShellQuoting.quote(e.name())).collect(Collectors.joining(" "));
        log.leave(0, id, "ListExports", "exports=(" + names + ") return=0");
        return below;
    }

    @Override
    public void preconnect(ClientInfo client, boolean readOnly) {
        long id = preconnects.incrementAndGet();
        log.enter(0, id, "Preconnect", "readonly=" + bit(readOnly));
        log.leave(0, id, "Preconnect", "return=0");
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        Next next = below.open(request);
        return new LogHandle(next, log, connections.incrementAndGet(), request.exportName(), request.tls());
    }

    @Override
    public void unload() {
        log.close();
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
