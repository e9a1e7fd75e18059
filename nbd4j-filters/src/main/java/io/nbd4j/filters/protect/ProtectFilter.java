package io.nbd4j.filters.protect;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;

import java.io.IOException;

/**
 * {@code --filter=protect}: refuses writes that would change chosen byte ranges. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; the ranges are immutable once built.
 */
public final class ProtectFilter extends DeclaredFilter {
    private static final Parameter PROTECT = new Parameter("protect", "START-END",
            "protect bytes START to END (inclusive; either may be left out); ~START-END protects all but "
                    + "that range; repeat for several ranges");

    private final ProtectedRanges.Builder builder = new ProtectedRanges.Builder();
    private ProtectedRanges ranges;

    public ProtectFilter() {
        super("protect", "write-protect ranges of the plugin", PROTECT);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        builder.add(parameter.key(), value);
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
