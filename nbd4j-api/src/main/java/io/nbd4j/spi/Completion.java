package io.nbd4j.spi;

import java.io.IOException;

/**
 * Where a request started with {@link Handle#startPread} or {@link Handle#startPwrite} reports its
 * end. The handle calls it exactly once, from any thread: its own (the one that received the answer),
 * or the starting thread when the request fails at once.
 *
 * <p>The server sends the client's reply inside the call, so it may block while the client's socket is
 * full; a handle that completes requests for several connections on one thread would let one slow
 * client hold up the others, and should not start requests this way.
 */
@FunctionalInterface
public interface Completion {
    /** The request is over: {@code failure} is null when it succeeded, else what a synchronous call would have thrown. */
    void complete(IOException failure);
}
