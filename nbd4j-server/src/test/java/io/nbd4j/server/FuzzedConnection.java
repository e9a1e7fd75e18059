package io.nbd4j.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;

/**
 * Feeds one byte stream to a server as a whole in-memory connection (two pipes and
 * {@link NbdServer#serveOne}), reading and dropping whatever the server answers, then closes the
 * client's side and waits, bounded, for the server's side to end. Used by one thread at a time.
 */
final class FuzzedConnection {
    /** Generous for a machine shared with other builds; a connection that needs longer is taken as hung. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private FuzzedConnection() {}

    /** Bytes the server sent back, or throws {@link AssertionError} when the server side did not end in time. */
    static long feed(NbdServer server, byte[] input) throws IOException, InterruptedException {
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        Thread serverSide = Thread.ofVirtual().name("fuzzed-server-side")
                .start(() -> server.serveOne(toServer.source(), toClient.sink()));
        long[] received = {0};
        Thread drain = Thread.ofVirtual().name("fuzzed-drain").start(() -> {
            ByteBuffer sink = ByteBuffer.allocate(64 << 10);
            try {
                int n;
                while ((n = toClient.source().read(sink.clear())) >= 0) {
                    received[0] += n;
                }
            } catch (IOException closed) {
                // the server side closed its end: nothing more to read
            }
        });
        Thread writer = Thread.ofVirtual().name("fuzzed-writer").start(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(input);
                while (b.hasRemaining()) {
                    toServer.sink().write(b);
                }
            } catch (IOException serverStoppedReading) {
                // a server that hangs up early is allowed to
            } finally {
                try {
                    toServer.sink().close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
        try {
            if (!serverSide.join(DEADLINE) || !writer.join(DEADLINE) || !drain.join(DEADLINE)) {
                throw new AssertionError("connection did not end within " + DEADLINE + " after the client closed");
            }
            return received[0];
        } finally {
            toClient.source().close();
            toServer.source().close();
            toClient.sink().close();
        }
    }
}
