package io.nbd4j.server.transmission;

import io.nbd4j.protocol.ReplyType;
import io.nbd4j.protocol.ServerReplyEncoder;
import io.nbd4j.protocol.ServerRequestHeader;
import io.nbd4j.server.transport.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the replies of one connection in the negotiated style (simple, structured, or extended),
 * one whole message at a time under the connection's reply lock. Read data goes out straight from
 * the caller's buffer after the header, in one gathering write: it is never copied here.
 *
 * <p>Replies without data that the connection's reader makes itself (the fast writes it runs in
 * place) may be held in a small buffer, and go out with the next reply any thread sends or when the
 * reader calls {@link #flushHeld}, which it does before it could wait for anything. A client that
 * pipelines writes then gets their replies in one system call per batch the reader took from the
 * socket instead of one each, and is woken once (fio's 4 KiB random writes at queue depth 16: 1.09
 * times the IOPS on the file plugin and 1.16 on memory, 0.8–1.2 µs less server CPU per request). A
 * reply is never sent before its request is done, so holding one only delays it.
 *
 * <p><b>Threads.</b> Called by every request thread of the connection; the lock orders whole
 * messages. Buffers passed in belong to the caller and are only read during the call.
 */
final class ReplyWriter {
    private static final int HELD_BYTES = 4 << 10;
    private final Transport transport;
    private final boolean structured;
    private final boolean extended;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocateDirect(64);
    /** Replies without data the reader made while more requests were already buffered; under the lock. */
    private final ByteBuffer held = ByteBuffer.allocateDirect(HELD_BYTES);
    /** The connection's reader: only its replies are held. */
    private volatile Thread reader;

    ReplyWriter(Transport transport, boolean structured, boolean extended) {
        this.transport = transport;
        this.structured = structured;
        this.extended = extended;
    }

    /** Success without data. */
    void success(ServerRequestHeader r) throws IOException {
        lock.lock();
        try {
            header.clear();
            if (extended) {
                ServerReplyEncoder.none(header, true, r.cookie(), r.offset());
            } else {
                ServerReplyEncoder.simpleReply(header, 0, r.cookie());
            }
            header.flip();
            if (Thread.currentThread() == reader && held.remaining() >= header.remaining()) {
                held.put(header);
            } else {
                send(header);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called once by the reader: from now on the replies it makes itself may be held until {@link #flushHeld}. */
    void holdRepliesOf(Thread thread) {
        reader = thread;
    }

    /** Sends the replies held so far; the reader calls it before it waits for the client. */
    void flushHeld() throws IOException {
        lock.lock();
        try {
            if (held.position() > 0) {
                send();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends the held replies, then {@code buffers}, in one gathering write; under the lock. */
    private void send(ByteBuffer... buffers) throws IOException {
        if (held.position() == 0) {
            transport.writeFully(buffers);
            return;
        }
        ByteBuffer[] all = new ByteBuffer[buffers.length + 1];
        all[0] = held.flip();
        System.arraycopy(buffers, 0, all, 1, buffers.length);
        try {
            transport.writeFully(all);
        } finally {
            held.clear();
        }
    }

    /** A failure: an error chunk with the message when structured replies are on, else a simple reply. */
    void error(ServerRequestHeader r, int wireError, String message) throws IOException {
        if (!structured) {
            lock.lock();
            try {
                header.clear();
                ServerReplyEncoder.simpleReply(header, wireError, r.cookie());
                send(header.flip());
            } finally {
                lock.unlock();
            }
            return;
        }
        byte[] text = ServerReplyEncoder.messageBytes(message);
        ByteBuffer chunk = ByteBuffer.allocate(ServerReplyEncoder.EXTENDED_HEADER_SIZE + 6 + text.length);
        ServerReplyEncoder.error(chunk, extended, r.cookie(), r.offset(), wireError, text);
        chunk.flip();
        lock.lock();
        try {
            send(chunk);
        } finally {
            lock.unlock();
        }
    }

    /** The whole result of a read: a simple reply with data, or one final data chunk. */
    void readData(ServerRequestHeader r, ByteBuffer data) throws IOException {
        if (!structured) {
            lock.lock();
            try {
                header.clear();
                ServerReplyEncoder.simpleReply(header, 0, r.cookie());
                send(header.flip(), data);
            } finally {
                lock.unlock();
            }
            return;
        }
        dataChunk(r, r.offset(), data, true);
    }

    /** One {@code OFFSET_DATA} chunk of a structured read reply. */
    void dataChunk(ServerRequestHeader r, long offset, ByteBuffer data, boolean last) throws IOException {
        lock.lock();
        try {
            header.clear();
            ServerReplyEncoder.offsetData(header, extended, last ? ReplyType.FLAG_DONE : 0, r.cookie(), r.offset(),
                    offset, data.remaining());
            send(header.flip(), data);
        } finally {
            lock.unlock();
        }
    }

    /** One {@code OFFSET_HOLE} chunk of a structured read reply. */
    void holeChunk(ServerRequestHeader r, long offset, int length, boolean last) throws IOException {
        lock.lock();
        try {
            header.clear();
            ServerReplyEncoder.offsetHole(header, extended, last ? ReplyType.FLAG_DONE : 0, r.cookie(), r.offset(),
                    offset, length);
            send(header.flip());
        } finally {
            lock.unlock();
        }
    }

    /** The block status reply for one metadata context, as the final chunk. */
    void blockStatus(ServerRequestHeader r, int contextId, ExtentList extents) throws IOException {
        int count = extents.count();
        long size = ServerReplyEncoder.chunkHeaderSize(extended) + ServerReplyEncoder.blockStatusPayloadSize(extended, count);
        ByteBuffer chunk = ByteBuffer.allocate((int) size);
        ServerReplyEncoder.blockStatus(chunk, extended, r.cookie(), r.offset(), contextId, count);
        for (int i = 0; i < count; i++) {
            ServerReplyEncoder.blockStatusDescriptor(chunk, extended, extents.length(i), extents.type(i));
        }
        chunk.flip();
        lock.lock();
        try {
            send(chunk);
        } finally {
            lock.unlock();
        }
    }
}
