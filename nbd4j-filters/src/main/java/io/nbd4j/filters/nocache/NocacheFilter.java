package io.nbd4j.filters.nocache;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;

/**
 * {@code --filter=nocache}: hides, emulates or ignores {@code NBD_CMD_CACHE}. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; handles hold only the mode.
 */
public final class NocacheFilter extends DeclaredFilter {
    private static final Parameter CACHEMODE = new Parameter("cachemode", "none|emulate|nop",
            "hide cache requests (none, default), serve them by reading (emulate), or accept and ignore them (nop)");

    private CacheMode mode = CacheMode.NONE;

    public NocacheFilter() {
        super("nocache", "disable or change cache request support", CACHEMODE);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        String key = parameter.key();
        mode = switch (Values.parseChoice(key, value, "none", "emulate", "nop", "no-op")) {
            case "none" -> CacheMode.NONE;
            case "emulate" -> CacheMode.EMULATE;
            default -> CacheMode.NATIVE;
        };
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        CacheMode answer = mode;
        return new SameDataHandle(below.open(request)) {
            @Override
            public CacheMode canCache() {
                return answer;
            }

            /** Reached only in {@code nop} mode: the server reads for {@code emulate} and refuses for {@code none}. */
            @Override
            public void cache(long length, long offset, int flags) {}
        };
    }
}
