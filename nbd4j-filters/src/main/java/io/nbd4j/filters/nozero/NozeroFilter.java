package io.nbd4j.filters.nozero;

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
 * {@code --filter=nozero}: hides or cripples write-zeroes and fast zero. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the modes.
 */
public final class NozeroFilter implements Filter {
    private static final Parameter ZEROMODE = new Parameter("zeromode", "none|emulate|notrim|plugin",
            "hide write-zeroes (none, default), emulate it with writes, pass it without may-trim (notrim), "
                    + "or pass it unchanged (plugin)");
    private static final Parameter FASTZEROMODE = new Parameter("fastzeromode", "default|none|slow|ignore",
            "hide fast zero (none), fail every fast zero (slow), drop the fast flag (ignore, unsafe), "
                    + "or as zeromode implies (default)");

    private ZeroFilterMode zeroMode = ZeroFilterMode.NONE;
    private FastZeroMode fastZeroMode = FastZeroMode.DEFAULT;

    @Override
    public String name() {
        return "nozero";
    }

    @Override
    public String description() {
        return "disable or change write-zeroes support";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(ZEROMODE, FASTZEROMODE);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (ZEROMODE.matches(key)) {
            zeroMode = ZeroFilterMode.valueOf(Values.parseChoice(key, value, "none", "emulate", "notrim", "plugin")
                    .toUpperCase(java.util.Locale.ROOT));
        } else if (FASTZEROMODE.matches(key)) {
            fastZeroMode = FastZeroMode.valueOf(Values.parseChoice(key, value, "default", "none", "slow", "ignore")
                    .toUpperCase(java.util.Locale.ROOT));
        } else {
            Filter.super.config(key, value);
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new NozeroHandle(below.open(request), zeroMode, fastZeroMode);
    }
}
