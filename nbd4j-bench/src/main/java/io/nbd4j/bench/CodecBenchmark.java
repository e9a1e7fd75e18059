package io.nbd4j.bench;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.ReplyType;
import io.nbd4j.protocol.ServerReplyEncoder;
import io.nbd4j.protocol.ServerRequestDecoder;
import io.nbd4j.protocol.ServerRequestHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The per-request protocol work of the server: decoding a request header from the direct buffer the
 * reader fills, and encoding the reply headers that go out in front of read data. Each state object
 * belongs to one benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {
    private final ByteBuffer compactRequest = ByteBuffer.allocateDirect(ServerRequestDecoder.COMPACT_SIZE);
    private final ByteBuffer extendedRequest = ByteBuffer.allocateDirect(ServerRequestDecoder.EXTENDED_SIZE);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(64);
    private long cookie;

    @Setup
    public void writeRequests() {
        compactRequest.putInt(Magic.REQUEST).putShort((short) 0).putShort((short) Command.READ)
                .putLong(42).putLong(1L << 30).putInt(4096).flip();
        extendedRequest.putInt(Magic.EXTENDED_REQUEST).putShort((short) 0).putShort((short) Command.READ)
                .putLong(42).putLong(1L << 30).putLong(4096).flip();
    }

    @Benchmark
    public ServerRequestHeader decodeCompactRequest() throws ProtocolException {
        return ServerRequestDecoder.decode(compactRequest.rewind(), false);
    }

    @Benchmark
    public ServerRequestHeader decodeExtendedRequest() throws ProtocolException {
        return ServerRequestDecoder.decode(extendedRequest.rewind(), true);
    }

    @Benchmark
    public ByteBuffer encodeSimpleReply() {
        reply.clear();
        ServerReplyEncoder.simpleReply(reply, 0, cookie++);
        return reply.flip();
    }

    @Benchmark
    public ByteBuffer encodeStructuredDataChunk() {
        reply.clear();
        ServerReplyEncoder.offsetData(reply, false, ReplyType.FLAG_DONE, cookie++, 1L << 30, 1L << 30, 4096);
        return reply.flip();
    }
}
