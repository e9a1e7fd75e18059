package io.nbd4j.filters.swab;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;

/**
 * {@code --filter=swab}: swaps the bytes of each 16, 32 or 64-bit word. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the word size.
 */
public final class SwabFilter extends DeclaredFilter {
    private static final Parameter BITS = new Parameter("swab-bits", "8|16|32|64",
            "the size of the words whose bytes are reversed (default 16; 8 changes nothing)");

    private WordSwap swap = WordSwap.of(16);

    public SwabFilter() {
        super("swab", "swap the bytes of each word", BITS);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        String key = parameter.key();
        long bits = Values.parseInteger(key, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
            throw new ConfigException(key + ": unknown value '" + value + "' (expected one of: 8, 16, 32, 64)");
        }
        swap = WordSwap.of((int) bits);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new SwabHandle(below.open(request), swap);
    }
}
