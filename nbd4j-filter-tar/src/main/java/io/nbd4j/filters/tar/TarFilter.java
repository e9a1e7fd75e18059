package io.nbd4j.filters.tar;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.List;

/**
 * {@code --filter=tar}: serves one file inside an uncompressed tar archive that the layer below
 * provides, read and written in place. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread. The entry is located once, by the first
 * connection that gets to {@code prepare}, under this object's monitor; a failure leaves the next
 * connection to try again.
 */
public final class TarFilter implements Filter {
    private static final Parameter ENTRY = new Parameter("tar-entry", "PATH",
            "the file inside the tar archive to serve, exactly as the archive names it (required; see tar tf)");
    private static final Parameter LIMIT = new Parameter("tar-limit", "SIZE",
            "read at most this much of the archive when looking for the entry (default 0: no limit)");
    private static final Parameter PROGRAM = new Parameter("tar", "PROGRAM",
            "accepted for nbdkit's command lines and ignored: no tar program is run");

    private String entryName;
    private long limit = Long.MAX_VALUE;
    private EntryLocation location;

    @Override
    public String name() {
        return "tar";
    }

    @Override
    public String description() {
        return "serve one file inside a tar archive, in place";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(ENTRY, LIMIT, PROGRAM);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (ENTRY.matches(key)) {
            if (value.isEmpty()) {
                throw new ConfigException(key + ": the entry name must not be empty");
            }
            entryName = value;
        } else if (LIMIT.matches(key)) {
            long parsed = Values.parseSize(key, value);
            limit = parsed == 0 ? Long.MAX_VALUE : parsed;
        } else if (!PROGRAM.matches(key)) {
            Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (entryName == null) {
            throw new ConfigException("tar: the tar-entry parameter is required (the file inside the archive to serve)");
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new TarHandle(below.open(request), this);
    }

    /** Where the entry is, found through {@code next} if no connection found it yet. */
    synchronized EntryLocation locate(Next next) throws IOException {
        if (location == null) {
            location = EntryLocation.find(next, entryName, limit);
        }
        return location;
    }
}
