package io.nbd4j.server.transport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * TLS over the socket of a {@link ChannelTransport}, driven by an {@link SSLEngine} in server mode:
 * what {@code NBD_OPT_STARTTLS} switches a connection to. Ciphertext goes through the plain transport,
 * so its activity clock, {@code shutdownInput} and {@code close} keep working underneath.
 *
 * <p><b>Threads.</b> One reader at a time (the connection's reader). Writers are serialized by an
 * internal lock, which the reader also takes when the engine needs to answer a post-handshake message
 * (a TLS 1.3 key update), so wrapping never runs on two threads at once.
 */
public final class TlsTransport implements Transport {
    /** How long closing waits to hand {@code close_notify} to a client that may have stopped reading. */
    private static final Duration CLOSE_NOTIFY_LIMIT = Duration.ofSeconds(2);
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final ChannelTransport raw;
    private final SSLEngine engine;
    private final ReentrantLock writeLock = new ReentrantLock();
    private ByteBuffer netIn;    // ciphertext read and not yet unwrapped; kept in fill mode
    private ByteBuffer appIn;    // plaintext unwrapped and not yet taken by the reader; kept in fill mode
    private ByteBuffer netOut;   // guarded by writeLock

    private TlsTransport(ChannelTransport raw, SSLEngine engine) {
        this.raw = raw;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(packet);
    }

    /** Runs the server side of the TLS handshake and returns the transport once it completed. */
    static TlsTransport start(ChannelTransport raw, SSLEngine engine) throws IOException {
        TlsTransport tls = new TlsTransport(raw, engine);
        engine.beginHandshake();
        tls.handshake();
        return tls;
    }

    private void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapLocked(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapOnce()) {
                        throw new EOFException("client closed the connection during the TLS handshake");
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    @Override
    public void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(buffer.remaining(), appIn.remaining());
                buffer.put(appIn.slice(appIn.position(), n));
                appIn.position(appIn.position() + n);
                appIn.compact();
                continue;
            }
            if (!unwrapOnce()) {
                throw new EOFException("client closed the TLS session");
            }
            answerPostHandshakeMessages();
        }
    }

    /**
     * Unwraps at most one record into {@link #appIn}, reading from the socket first when no whole
     * record is buffered. Returns false at the end of the stream or of the TLS session.
     */
    private boolean unwrapOnce() throws IOException {
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (result.getStatus()) {
            case OK -> {
                return true;
            }
            case BUFFER_OVERFLOW -> {
                appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
                return true;
            }
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = enlarge(netIn, engine.getSession().getPacketBufferSize());
                }
                return raw.readSome(netIn) >= 0;
            }
            case CLOSED -> {
                return false;
            }
            default -> throw new SSLException("unexpected TLS engine status " + result.getStatus());
        }
    }

    private void answerPostHandshakeMessages() throws IOException {
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else {
                wrapLocked(NOTHING);
            }
            status = engine.getHandshakeStatus();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    @Override
    public void writeFully(ByteBuffer... buffers) throws IOException {
        wrapLocked(buffers);
    }

    /** Encrypts every remaining byte of {@code buffers} (at least one record, for an empty array) and sends it. */
    private void wrapLocked(ByteBuffer[] buffers) throws IOException {
        writeLock.lock();
        try {
            boolean again;
            do {
                netOut.clear();
                SSLEngineResult result = engine.wrap(buffers, netOut);
                switch (result.getStatus()) {
                    case OK -> {
                        netOut.flip();
                        raw.writeFully(netOut);
                        again = hasRemaining(buffers);
                    }
                    case BUFFER_OVERFLOW -> {
                        netOut = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), netOut.capacity() * 2));
                        again = true;
                    }
                    case CLOSED -> throw new EOFException("the TLS session is closed");
                    default -> throw new SSLException("unexpected TLS engine status " + result.getStatus());
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            } while (again);
        } finally {
            writeLock.unlock();
        }
    }

    private static boolean hasRemaining(ByteBuffer[] buffers) {
        for (ByteBuffer b : buffers) {
            if (b.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer enlarge(ByteBuffer fillMode, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, fillMode.capacity() * 2));
        return bigger.put(fillMode.flip());
    }

    @Override
    public boolean isTls() {
        return true;
    }

    @Override
    public long lastActivityNanos() {
        return raw.lastActivityNanos();
    }

    @Override
    public void shutdownInput() {
        raw.shutdownInput();
    }

    /**
     * Sends {@code close_notify} when no writer is busy, then closes the socket. A client that stopped
     * reading could block that last write forever, so a timer closes the socket under it.
     */
    @Override
    public void close() {
        if (writeLock.tryLock()) {
            Thread guard = Thread.ofVirtual().name("nbd4j-tls-close").start(() -> {
                try {
                    Thread.sleep(CLOSE_NOTIFY_LIMIT);
                    raw.close();
                } catch (InterruptedException finishedInTime) {
                    // close_notify was handed over; nothing to force
                }
            });
            try {
                engine.closeOutbound();
                netOut.clear();
                engine.wrap(NOTHING, netOut);
                netOut.flip();
                raw.writeFully(netOut);
            } catch (IOException | RuntimeException ignored) {
                // the peer is gone or the session already broken: closing the socket is all that is left
            } finally {
                guard.interrupt();
                writeLock.unlock();
            }
        }
        raw.close();
    }
}
