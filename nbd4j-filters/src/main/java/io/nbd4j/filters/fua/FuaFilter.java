package io.nbd4j.filters.fua;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;

import java.io.IOException;
import java.util.List;

/**
 * {@code --filter=fua}: changes how Forced Unit Access and flush are advertised and served. See the
 * package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the mode.
 */
public final class FuaFilter implements Filter {
    private FuaFilterMode mode = FuaFilterMode.NONE;

    @Override
    public String name() {
        return "fua";
    }

    @Override
    public String description() {
        return "change how FUA and flush are handled";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter(FuaFilterMode.KEY, "none|emulate|native|force|pass|discard",
                "hide FUA (none, default), emulate it with flush, advertise it as native, make every write "
                        + "FUA and flush a no-op (force), change nothing (pass), or drop FUA and flush (discard, unsafe)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!FuaFilterMode.KEY.equals(key)) {
            throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
        mode = FuaFilterMode.parse(value);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new FuaHandle(below.open(request), mode);
    }
}
