package io.nbd4j.filters.delay;

import io.nbd4j.filters.common.InterceptingHandle;
import io.nbd4j.filters.common.Operation;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * Waits before each call of one connection as {@link Delays} says, in
 * {@link ClientConnection#sleep}, so a disconnect or a shutdown ends the wait at once (the call then
 * fails with ESHUTDOWN); waits again when the handle closes, in
 * {@link io.nbd4j.spi.ServerControl#sleepUnlessShutdown}, which outlasts the client's own disconnect.
 *
 * <p><b>Threads.</b> Any number of request threads sleep at once; the handle keeps no mutable state.
 */
final class DelayHandle extends InterceptingHandle {
    private static final Logger LOG = LoggerFactory.getLogger(DelayHandle.class);

    private final Delays delays;
    private final ClientConnection connection;

    DelayHandle(Next next, Delays delays, ClientConnection connection) {
        super(next);
        this.delays = delays;
        this.connection = connection;
    }

    @Override
    public boolean canFastZero() throws IOException {
        return delays.refusesFastZero() || next.canFastZero();
    }

    @Override
    protected void around(Operation operation, long offset, long length, int flags, Below below) throws IOException {
        if (operation == Operation.ZERO && Flags.has(flags, Flags.FAST_ZERO) && delays.refusesFastZero()) {
            throw new NbdException(NbdError.ENOTSUP, "delay: a fast zero would be delayed");
        }
        Duration wait = delays.of(operation);
        if (wait.isPositive()) {
            connection.sleep(wait);
        }
        below.call();
    }

    @Override
    public void close() {
        if (delays.close().isPositive()) {
            try {
                connection.server().sleepUnlessShutdown(delays.close());
            } catch (NbdException e) {
                LOG.debug("delay: close delay cut short: {}", e.getMessage());
            }
        }
    }
}
