package io.nbd4j.filters.nozero;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.Locale;

/**
 * {@code --filter=nozero}: hides or cripples write-zeroes and fast zero. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; {@link #open} only reads the modes.
 */
public final class NozeroFilter extends DeclaredFilter {
    private static final Parameter ZEROMODE = new Parameter("zeromode", "none|emulate|notrim|plugin",
            "hide write-zeroes (none, default), emulate it with writes, pass it without may-trim (notrim), "
                    + "or pass it unchanged (plugin)");
    private static final Parameter FASTZEROMODE = new Parameter("fastzeromode", "default|none|slow|ignore",
            "hide fast zero (none), fail every fast zero (slow), drop the fast flag (ignore, unsafe), "
                    + "or as zeromode implies (default)");

    private ZeroFilterMode zeroMode = ZeroFilterMode.NONE;
    private FastZeroMode fastZeroMode = FastZeroMode.DEFAULT;

    public NozeroFilter() {
        super("nozero", "disable or change write-zeroes support", ZEROMODE, FASTZEROMODE);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        if (parameter == ZEROMODE) {
            zeroMode = ZeroFilterMode.valueOf(Values.parseChoice(parameter.key(), value, "none", "emulate", "notrim", "plugin")
                    .toUpperCase(Locale.ROOT));
        } else {
            fastZeroMode = FastZeroMode.valueOf(Values.parseChoice(parameter.key(), value, "default", "none", "slow", "ignore")
                    .toUpperCase(Locale.ROOT));
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new NozeroHandle(below.open(request), zeroMode, fastZeroMode);
    }
}
