package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.protocol.Option;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * jqwik generators of what a client may send from connect to close: mostly well-framed NBD with
 * hostile fields (unknown codes, lengths that disagree with the data, edge offsets and lengths), then
 * cut short or with bytes flipped, so every decoder branch is reached. Stateless.
 */
final class NbdStreams {
    /** The fuzzed server's largest payload: small, so that legal requests stay cheap. */
    static final int MAX_PAYLOAD = 64 << 10;
    static final int DISK_SIZE = 1 << 20;

    private NbdStreams() {}

    /** Client flags, then options of any kind. */
    static Arbitrary<byte[]> handshakes() {
        return Combinators.combine(clientFlags(), options().list().ofMaxSize(12)).as((flags, options) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ByteBuffer.allocate(4).putInt(flags).array());
            options.forEach(out::writeBytes);
            return out.toByteArray();
        }).flatMap(NbdStreams::damaged);
    }

    /** A valid negotiation (simple, structured or extended), then requests of any kind. */
    static Arbitrary<byte[]> transmissions() {
        return Arbitraries.of(Negotiation.values()).flatMap(n -> requests(n.extended).list().ofMaxSize(16).map(requests -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(n.bytes());
            requests.forEach(out::writeBytes);
            return out.toByteArray();
        })).flatMap(NbdStreams::damaged);
    }

    /** Anything at all after the greeting. */
    static Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    private static Arbitrary<Integer> clientFlags() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(3)),
                Tuple.of(1, Arbitraries.of(0, 1, 2)),
                Tuple.of(1, Arbitraries.integers()));
    }

    private static Arbitrary<byte[]> options() {
        Arbitrary<Integer> code = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(1, 11)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                exportNames().map(name -> infoRequest(name, 0, 1, 2, 3)),
                exportNames().map(name -> metaRequest(name, MetaContexts.BASE_ALLOCATION, "base:", "x:y")));
        Arbitrary<Long> magic = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just(Magic.IHAVEOPT)),
                Tuple.of(1, Arbitraries.longs()));
        return Combinators.combine(magic, code, data, declaredLengths()).as((m, c, d, declared) -> {
            int length = declared == null ? d.length : declared;
            return ByteBuffer.allocate(16 + d.length).putLong(m).putInt(c).putInt(length).put(d).array();
        });
    }

    /** null means "the true length"; otherwise a lie, small or absurd. */
    private static Arbitrary<Integer> declaredLengths() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.<Integer>just(null)),
                Tuple.of(2, Arbitraries.integers().between(0, 80)),
                Tuple.of(1, Arbitraries.of(-1, (64 << 10) + 1, (1 << 20) + 1, Integer.MAX_VALUE)));
    }

    private static Arbitrary<String> exportNames() {
        return Arbitraries.oneOf(Arbitraries.of("", "a", "\u00e9", "x".repeat(4097)), Arbitraries.strings().ofMaxLength(20));
    }

    private static byte[] infoRequest(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length).putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) {
            b.putShort((short) i);
        }
        return b.array();
    }

    private static byte[] metaRequest(String name, String... queries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(8 + n.length).putInt(n.length).put(n).putInt(queries.length).array());
        for (String q : queries) {
            byte[] qb = q.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4 + qb.length).putInt(qb.length).put(qb).array());
        }
        return out.toByteArray();
    }

    /** How the transmission streams start; each ends with a GO for the default export. */
    enum Negotiation {
        SIMPLE(false, List.of()),
        STRUCTURED(false, List.of(option(Option.STRUCTURED_REPLY, new byte[0]),
                option(Option.SET_META_CONTEXT, metaRequest("", MetaContexts.BASE_ALLOCATION)))),
        EXTENDED(true, List.of(option(Option.EXTENDED_HEADERS, new byte[0]),
                option(Option.SET_META_CONTEXT, metaRequest("", MetaContexts.BASE_ALLOCATION))));

        final boolean extended;
        private final List<byte[]> options;

        Negotiation(boolean extended, List<byte[]> options) {
            this.extended = extended;
            this.options = options;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ByteBuffer.allocate(4).putInt(3).array());
            options.forEach(out::writeBytes);
            out.writeBytes(option(Option.GO, infoRequest("")));
            return out.toByteArray();
        }
    }

    private static byte[] option(int code, byte[] data) {
        return ByteBuffer.allocate(16 + data.length).putLong(Magic.IHAVEOPT).putInt(code).putInt(data.length).put(data).array();
    }

    private static Arbitrary<byte[]> requests(boolean extended) {
        Arbitrary<Integer> type = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of(Command.READ, Command.WRITE, Command.FLUSH, Command.TRIM, Command.CACHE,
                        Command.WRITE_ZEROES, Command.BLOCK_STATUS)),
                Tuple.of(1, Arbitraries.just(Command.DISC)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xffff)));
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of(0, 1, 2, 4, 8, 16, 32)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xffff)));
        Arbitrary<Long> offset = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.longs().between(0, DISK_SIZE)),
                Tuple.of(2, Arbitraries.of(0L, DISK_SIZE - 1L, (long) DISK_SIZE, -1L, -512L, Long.MAX_VALUE, Long.MIN_VALUE)),
                Tuple.of(1, Arbitraries.longs()));
        Arbitrary<Long> length = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.longs().between(0, 8192)),
                Tuple.of(2, Arbitraries.of(0L, 1L, 512L, (long) MAX_PAYLOAD, MAX_PAYLOAD + 1L, 0xffff_ffffL, 1L << 32,
                        Long.MAX_VALUE, -1L)));
        Arbitrary<Integer> magic = Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.just(extended ? Magic.EXTENDED_REQUEST : Magic.REQUEST)),
                Tuple.of(1, Arbitraries.of(Magic.REQUEST, Magic.EXTENDED_REQUEST)),
                Tuple.of(1, Arbitraries.integers()));
        // the payload a writer sends: usually what it declared, sometimes less or more
        Arbitrary<Integer> payloadSkew = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(-100, 100)));
        return Combinators.combine(magic, flags, type, offset, length, payloadSkew).as((m, f, t, off, len, skew) -> {
            boolean carriesPayload = t == Command.WRITE || (extended && (f & 0x20) != 0);
            int payload = carriesPayload && Long.compareUnsigned(len, 8192) <= 0 ? Math.max(0, (int) (len + skew)) : 0;
            ByteBuffer b = ByteBuffer.allocate((extended ? 32 : 28) + payload).putInt(m).putShort(f.shortValue())
                    .putShort(t.shortValue()).putLong(0x1000L + t).putLong(off);
            if (extended) {
                b.putLong(len);
            } else {
                b.putInt(len.intValue());
            }
            for (int i = 0; i < payload; i++) {
                b.put((byte) (i * 31));
            }
            return b.array();
        });
    }

    /** Mostly unchanged; otherwise cut at a random point, or with a few bytes overwritten. */
    private static Arbitrary<byte[]> damaged(byte[] stream) {
        if (stream.length == 0) {
            return Arbitraries.just(stream);
        }
        Arbitrary<byte[]> cut = Arbitraries.integers().between(0, stream.length - 1)
                .map(n -> java.util.Arrays.copyOf(stream, n));
        Arbitrary<byte[]> flipped = Combinators.combine(
                Arbitraries.integers().between(0, stream.length - 1).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.bytes()).as((positions, value) -> {
                    byte[] copy = stream.clone();
                    positions.forEach(p -> copy[p] = value);
                    return copy;
                });
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(stream)), Tuple.of(2, cut), Tuple.of(2, flipped));
    }
}
