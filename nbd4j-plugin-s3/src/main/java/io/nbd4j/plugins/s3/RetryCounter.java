package io.nbd4j.plugins.s3;

import io.nbd4j.spi.Metrics;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the SDK's retries into {@code nbd4j_s3_retries_total}: every attempt of a request after its
 * first, whatever made the SDK try again (throttling, a 5xx answer, a refused connection, a timeout).
 * The SDK calls {@link #beforeTransmission} once per attempt with the attributes of the whole request.
 *
 * <p><b>Threads.</b> Called on the SDK's request threads; the counter is set once, from {@code afterStart}.
 */
final class RetryCounter implements ExecutionInterceptor {
    private static final ExecutionAttribute<Boolean> SENT = new ExecutionAttribute<>("nbd4j.s3.sent");

    private volatile Metrics.Counter retries = Metrics.Counter.NONE;

    void publishTo(Metrics metrics) {
        retries = metrics.counter("nbd4j_s3_retries", "Requests to the object store tried again (throttled, failed or timed out)");
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(SENT) != null) {
            retries.inc();
        } else {
            attributes.putAttribute(SENT, Boolean.TRUE);
        }
    }
}
