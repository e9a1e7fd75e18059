package io.nbd4j.filters.error;

import io.nbd4j.filters.common.InterceptingHandle;
import io.nbd4j.filters.common.Operation;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Fails a call before it reaches the layer below when its {@link Injection} fires, so an injected
 * failure never changes the disk: a write that fails was not made.
 *
 * <p><b>Threads.</b> Any number of request threads; the settings are immutable and the random
 * numbers come from each thread's own generator.
 */
final class ErrorHandle extends InterceptingHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandle.class);

    private final Map<Operation, Injection> injections;

    ErrorHandle(Next next, Map<Operation, Injection> injections) {
        super(next);
        this.injections = injections;
    }

    @Override
    protected void around(Operation operation, long offset, long length, int flags, Below below) throws IOException {
        Injection injection = injections.get(operation);
        if (injection != null && injection.fires()) {
            LOG.warn("error: injecting {} error into {}", injection.error(), operation.nbdkitName());
            throw new NbdException(injection.error(), "injecting " + injection.error() + " error into " + operation.nbdkitName());
        }
        below.call();
    }
}
