package io.nbd4j.filters.swab;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.List;

/**
 * {@code --filter=swab}: swaps the bytes of each 16, 32 or 64-bit word. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the word size.
 */
public final class SwabFilter implements Filter {
    private static final Parameter BITS = new Parameter("swab-bits", "8|16|32|64",
            "the size of the words whose bytes are reversed (default 16; 8 changes nothing)");

    private WordSwap swap = WordSwap.of(16);

    @Override
    public String name() {
        return "swab";
    }

    @Override
    public String description() {
        return "swap the bytes of each word";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(BITS);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!BITS.matches(key)) {
            Filter.super.config(key, value);
            return;
        }
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
