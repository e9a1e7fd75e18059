package io.nbd4j.filters.extentlist;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --filter=extentlist}: answers block status from a list of extents in a file. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured and readied on the main thread; the table is immutable afterwards.
 */
public final class ExtentListFilter extends DeclaredFilter {
    private static final Parameter EXTENTLIST = new Parameter("extentlist", "FILENAME",
            "the file listing the extents, one 'OFFSET LENGTH [TYPE]' a line (required)");

    private Path file;
    private ExtentTable table;

    public ExtentListFilter() {
        super("extentlist", "serve block status from a list of extents", EXTENTLIST);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        if (file != null) {
            throw new ConfigException("extentlist: extentlist= may be given only once");
        }
        file = Path.of(value);
    }

    @Override
    public void configComplete() throws ConfigException {
        if (file == null) {
            throw new ConfigException("extentlist: the extentlist=FILENAME parameter is required");
        }
    }

    @Override
    public void getReady(ThreadModel effective) throws ConfigException {
        table = ExtentTable.read(file);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        ExtentTable extents = table;
        return new SameDataHandle(below.open(request)) {
            @Override
            public boolean canExtents() {
                return true;
            }

            @Override
            public void extents(long length, long offset, int flags, Extents sink) throws IOException {
                extents.report(length, offset, sink);
            }
        };
    }
}
