package io.nbd4j.filters.retryrequest;

import io.nbd4j.filters.common.RetryPolicy;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code --filter=retry-request}: retries a single failed request (and the open) after a delay,
 * without reopening anything. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; handles keep no state between calls.
 */
public final class RetryRequestFilter implements Filter {
    private static final long MAX_RETRIES = 1000;

    private long retries = 2;
    private Duration delay = Duration.ofSeconds(2);
    private boolean retryOpen = true;
    private RetryPolicy policy;

    @Override
    public String name() {
        return "retry-request";
    }

    @Override
    public String description() {
        return "retry a request that failed, after a delay";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("retry-request-retries", "N", "how many times a request is retried, 0 to 1000 (default 2)"),
                new Parameter("retry-request-delay", "SECONDS", "wait before each retry (default 2; fractions and ms, us, ns allowed)"),
                new Parameter("retry-request-open", "BOOL", "also retry opening the layer below (default true)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "retry-request-retries" -> retries = Values.parseInteger(key, value, 0, MAX_RETRIES);
            case "retry-request-delay" -> delay = RetryPolicy.parseDelay(key, value);
            case "retry-request-open" -> retryOpen = Values.parseBool(key, value);
            default -> Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() {
        policy = new RetryPolicy(retries, delay, false);
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        Next next = retryOpen ? policy.open(below, request, name()) : below.open(request);
        return new RetryRequestHandle(next, policy, request.connection());
    }
}
