package io.nbd4j.filters.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Something a filter keeps once per export name and shares between every connection to that export
 * (the cache filter's cache, the cow filter's overlay): made by the first connection that needs it,
 * kept until the server stops, closed by the filter's {@code unload}.
 *
 * <p><b>Threads.</b> Thread-safe: connections may ask for the same export at once and all get the one
 * object made by whichever came first.
 *
 * @param <T> what is kept
 */
public final class PerExport<T extends AutoCloseable> {
    private static final Logger LOG = LoggerFactory.getLogger(PerExport.class);

    /** Makes the object for an export that has none yet. */
    @FunctionalInterface
    public interface Factory<T> {
        T create() throws IOException;
    }

    private final String owner;
    private final ConcurrentHashMap<String, T> byExport = new ConcurrentHashMap<>();

    /** {@code owner} names the filter in log lines. */
    public PerExport(String owner) {
        this.owner = owner;
    }

    /** The export's object, made with {@code factory} if it has none yet. */
    public T get(String export, Factory<T> factory) throws IOException {
        try {
            return byExport.computeIfAbsent(export, e -> {
                try {
                    return factory.create();
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The export's object if a connection made one, else {@code null}. */
    public T peek(String export) {
        return byExport.get(export);
    }

    /** Closes and forgets every object; a failure is logged. */
    public void closeAll() {
        for (T t : byExport.values()) {
            try {
                t.close();
            } catch (Exception e) {
                LOG.warn("{}: closing failed: {}", owner, e.toString());
            }
        }
        byExport.clear();
    }
}
