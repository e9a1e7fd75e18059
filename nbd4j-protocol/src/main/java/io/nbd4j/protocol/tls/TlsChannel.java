package io.nbd4j.protocol.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking TLS session over a {@link Ciphertext} stream, driven by an {@link SSLEngine} in either
 * mode: the server side of {@code NBD_OPT_STARTTLS} and the client side (the nbd plugin's upstream)
 * both use it, so the engine's state machine is written once.
 *
 * <p><b>Threads.</b> One reader at a time. Writers are serialized by an internal lock, which the
 * reader also takes when the engine must answer a post-handshake message (a TLS 1.3 key update), so
 * wrapping never runs on two threads at once; unwrapping and wrapping may (the engine allows it).
 */
public final class TlsChannel {
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final Ciphertext raw;
    private final SSLEngine engine;
    private final ReentrantLock writeLock = new ReentrantLock();
    private ByteBuffer netIn;    // ciphertext read and not yet unwrapped; kept in fill mode
    private ByteBuffer appIn;    // plaintext unwrapped and not yet taken by the reader; kept in fill mode
    private ByteBuffer netOut;   // guarded by writeLock
    /** Why writing stopped for good, once plaintext could not be read; guarded by writeLock. */
    private IOException writeBroken;

    private TlsChannel(Ciphertext raw, SSLEngine engine) {
        this.raw = raw;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(packet);
    }

    /**
     * Runs the TLS handshake on {@code raw} as {@code engine}'s mode says and returns the session once
     * it completed.
     *
     * @throws SSLException when the handshake fails (e.g. a certificate is refused)
     */
    public static TlsChannel handshake(Ciphertext raw, SSLEngine engine) throws IOException {
        TlsChannel tls = new TlsChannel(raw, engine);
        engine.beginHandshake();
        tls.runHandshake();
        return tls;
    }

    private void runHandshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapLocked(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapOnce()) {
                        throw new EOFException("the peer closed the connection during the TLS handshake");
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    /**
     * Reads some plaintext into {@code dst} (at least one byte if it has room), or returns -1 when the
     * peer ended the stream or the TLS session.
     */
    public int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(dst.remaining(), appIn.remaining());
                dst.put(appIn.slice(appIn.position(), n));
                appIn.position(appIn.position() + n);
                appIn.compact();
                return n;
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            if (!unwrapOnce()) {
                return -1;
            }
            answerPostHandshakeMessages();
        }
    }

    /** Fills {@code dst} to its limit; an {@link EOFException} if the session ends first. */
    public void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new EOFException("the peer closed the TLS session");
            }
        }
    }

    /**
     * Unwraps at most one record into {@link #appIn}, reading from the stream first when no whole
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

    /** Encrypts and sends every remaining byte of {@code buffers}, in order. */
    public void writeFully(ByteBuffer... buffers) throws IOException {
        wrapLocked(buffers);
    }

    /** Encrypts every remaining byte of {@code buffers} (at least one record, for an empty array) and sends it. */
    private void wrapLocked(ByteBuffer[] buffers) throws IOException {
        writeLock.lock();
        try {
            if (writeBroken != null) {
                throw new IOException(writeBroken.getMessage(), writeBroken);
            }
            boolean again;
            do {
                netOut.clear();
                SSLEngineResult result = wrap(buffers);
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

    /**
     * Sends {@code close_notify} unless a writer is busy (then the caller just closes the stream, which
     * ends the session too). A peer that stopped reading can block this write: the caller bounds it by
     * closing the stream from another thread.
     */
    public void trySendCloseNotify() {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            engine.closeOutbound();
            netOut.clear();
            engine.wrap(NOTHING, netOut);
            netOut.flip();
            raw.writeFully(netOut);
        } catch (IOException | RuntimeException ignored) {
            // the peer is gone or the session already broken: closing the stream is all that is left
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * One {@code engine.wrap}. Plaintext may be a view of a mapped file (the file plugin's reads): if the
     * file shrank under it, reading it faults and the JVM raises {@link InternalError}. That ends writing
     * on this session (the engine's state is unknown) as a failed write, so the connection closes as for
     * any failed send instead of the error escaping the request thread.
     */
    private SSLEngineResult wrap(ByteBuffer[] buffers) throws IOException {
        try {
            return engine.wrap(buffers, netOut);
        } catch (InternalError e) {
            writeBroken = new IOException("the data to send could not be read: " + e.getMessage(), e);
            throw writeBroken;
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
}
