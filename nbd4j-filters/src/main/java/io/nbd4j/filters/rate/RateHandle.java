package io.nbd4j.filters.rate;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Holds back one connection's reads and writes until the server-wide limit and then the connection's
 * own let their bytes pass; other calls cost no bandwidth on the wire and pass at once.
 *
 * <p><b>Threads.</b> Any number of request threads; the throttles are thread-safe and nothing is
 * held while a call runs below.
 */
final class RateHandle extends FilterHandle {
    private final Throttle serverReads;
    private final Throttle serverWrites;
    private final Throttle reads;
    private final Throttle writes;
    private final ClientConnection connection;

    RateHandle(Next next, Throttle serverReads, Throttle serverWrites, Throttle reads, Throttle writes,
               ClientConnection connection) {
        super(next);
        this.serverReads = serverReads;
        this.serverWrites = serverWrites;
        this.reads = reads;
        this.writes = writes;
        this.connection = connection;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        long bytes = buffer.remaining();
        serverReads.pass(bytes, connection);
        reads.pass(bytes, connection);
        next.pread(buffer, offset, flags);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        long bytes = buffer.remaining();
        serverWrites.pass(bytes, connection);
        writes.pass(bytes, connection);
        next.pwrite(buffer, offset, flags);
    }
}
