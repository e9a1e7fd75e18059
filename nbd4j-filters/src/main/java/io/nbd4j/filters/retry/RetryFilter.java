package io.nbd4j.filters.retry;

import io.nbd4j.filters.common.RetryPolicy;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code --filter=retry}: when a call to the layers below fails, waits, reopens them, and makes the
 * call again. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; each connection's state is in its {@link RetryHandle}.
 */
public final class RetryFilter implements Filter {
    private long retries = 5;
    private Duration delay = Duration.ofSeconds(2);
    private boolean exponential = true;
    private boolean readOnlyAfterFailure;
    private RetryPolicy policy;

    @Override
    public String name() {
        return "retry";
    }

    @Override
    public String description() {
        return "reopen the layers below and retry when a call fails";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("retries", "N", "how many times a call is retried before it fails (default 5; 0: never)"),
                new Parameter("retry-delay", "SECONDS", "wait before the first retry (default 2; fractions and ms, us, ns allowed)"),
                new Parameter("retry-exponential", "BOOL", "double the wait before each further retry (default yes)"),
                new Parameter("retry-readonly", "BOOL", "after a failure, reopen read-only and refuse writes (default no)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "retries" -> retries = Values.parseInteger(key, value, 0, 0xffff_ffffL);
            case "retry-delay" -> delay = RetryPolicy.parseDelay(key, value);
            case "retry-exponential" -> exponential = Values.parseBool(key, value);
            case "retry-readonly" -> readOnlyAfterFailure = Values.parseBool(key, value);
            default -> Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() {
        policy = new RetryPolicy(retries, delay, exponential);
    }

    /** Opening is retried too, with the same waits (no reopen is possible before the first open succeeds). */
    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new RetryHandle(policy.open(below, request, name()), below, request, policy, readOnlyAfterFailure);
    }
}
