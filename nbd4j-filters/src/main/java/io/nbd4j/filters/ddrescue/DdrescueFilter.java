package io.nbd4j.filters.ddrescue;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --filter=ddrescue}: serves a disk image recovered with GNU ddrescue read-only, failing reads of
 * what its mapfile does not list as rescued with EIO, as the bad sectors of the original disk did. See
 * the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; the mapfile is immutable and shared.
 */
public final class DdrescueFilter implements Filter {
    private static final String KEY = "ddrescue-mapfile";

    private Mapfile mapfile;

    @Override
    public String name() {
        return "ddrescue";
    }

    @Override
    public String description() {
        return "fail reads of the bad sectors listed in a GNU ddrescue mapfile";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter(KEY, "FILE", "the GNU ddrescue mapfile of the image (required)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!key.equals(KEY)) {
            Filter.super.config(key, value);
            return;
        }
        mapfile = Mapfile.read(key, Path.of(value));
    }

    @Override
    public void configComplete() throws ConfigException {
        if (mapfile == null) {
            throw new ConfigException("ddrescue: " + KEY + "=FILE is required");
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        Mapfile map = mapfile;
        return new FilterHandle(below.open(request)) {
            /** Read-only whatever the layer below says, so nothing is written to a rescued image. */
            @Override public boolean canWrite() { return false; }
            @Override public CacheMode canCache() { return CacheMode.NONE; }

            @Override
            public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                if (!map.rescued(offset, buffer.remaining())) {
                    throw new NbdException(NbdError.EIO, "ddrescue: " + offset + "+" + buffer.remaining()
                            + " was not rescued (bad sectors in the mapfile)");
                }
                next.pread(buffer, offset, flags);
            }
        };
    }
}
