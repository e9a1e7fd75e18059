package io.nbd4j.filters.truncate;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;

/**
 * {@code --filter=truncate}: makes the disk smaller or larger, or rounds its size. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the settings.
 */
public final class TruncateFilter extends DeclaredFilter {
    private static final Parameter TRUNCATE = new Parameter("truncate", "SIZE",
            "the size of the disk: smaller cuts the layer below, larger adds bytes that read as zeroes");
    private static final Parameter ROUND_UP = new Parameter("round-up", "N",
            "round the size up to a multiple of N (a power of 2)");
    private static final Parameter ROUND_DOWN = new Parameter("round-down", "N",
            "round the size down to a multiple of N (a power of 2)");

    private final SizeRule.Builder rule = new SizeRule.Builder();
    private SizeRule built;

    public TruncateFilter() {
        super("truncate", "change the size of the plugin", TRUNCATE, ROUND_UP, ROUND_DOWN);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        if (parameter == TRUNCATE) {
            rule.truncate(Values.parseSize(parameter.key(), value));
        } else if (parameter == ROUND_UP) {
            rule.roundUp(powerOfTwo(parameter.key(), value));
        } else {
            rule.roundDown(powerOfTwo(parameter.key(), value));
        }
    }

    @Override
    public void configComplete() {
        built = rule.build();
    }

    /** A size from 1 to 2^32-1 that is a power of 2, as nbdkit accepts for rounding. */
    private static long powerOfTwo(String key, String value) throws ConfigException {
        long n = Values.parseSize(key, value);
        if (n == 0) {
            throw new ConfigException(key + ": must be greater than 0");
        }
        if (n > 0xffff_ffffL) {
            throw new ConfigException(key + ": " + value + " is too large (at most 4294967295)");
        }
        if (Long.bitCount(n) != 1) {
            throw new ConfigException(key + ": " + value + " must be a power of 2");
        }
        return n;
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new TruncateHandle(below.open(request), built);
    }
}
