package io.nbd4j.filters.protect;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;

import java.io.IOException;
import java.util.List;

/**
 * {@code --filter=protect}: refuses writes that would change chosen byte ranges. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; the ranges are immutable once built.
 */
public final class ProtectFilter implements Filter {
    private static final Parameter PROTECT = new Parameter("protect", "START-END",
            "protect bytes START to END (inclusive; either may be left out); ~START-END protects all but "
                    + "that range; repeat for several ranges");

    private final ProtectedRanges.Builder builder = new ProtectedRanges.Builder();
    private ProtectedRanges ranges;

    @Override
    public String name() {
        return "protect";
    }

    @Override
    public String description() {
        return "write-protect ranges of the plugin";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(PROTECT);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (PROTECT.matches(key)) {
            builder.add(key, value);
        } else {
            Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() {
        ranges = builder.build();
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new ProtectHandle(below.open(request), ranges);
    }
}
