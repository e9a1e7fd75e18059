package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What a disk under test should hold, as a plain byte array, for model tests of filters: each request
 * is made through the filter's handle and applied to the array, every read is checked against the
 * array, and every range the filter reports as zero must hold zeroes. Bytes a trim left behind may be
 * marked as readable as anything until written again.
 *
 * <p><b>Threads.</b> Not thread-safe: one test thread drives it.
 */
public final class ByteModel {
    public enum Kind { READ, WRITE, FUA_WRITE, ZERO, TRIM, CACHE, EXTENTS, FLUSH }

    /** One request of a model test, on connection {@code connection}, at fractions of the disk. */
    public record Op(Kind kind, int connection, double start, double length, int seed) {}

    /** Requests on two connections, 1 to 30 of them, reads and writes most often, then every other kind. */
    public static Arbitrary<List<Op>> ops() {
        return ops(Tuple.of(5, Kind.READ), Tuple.of(5, Kind.WRITE), Tuple.of(1, Kind.FUA_WRITE), Tuple.of(2, Kind.ZERO),
                Tuple.of(1, Kind.TRIM), Tuple.of(1, Kind.CACHE), Tuple.of(2, Kind.EXTENTS), Tuple.of(1, Kind.FLUSH));
    }

    /** Requests on two connections, of the kinds given with their weights, 1 to 30 of them. */
    @SafeVarargs
    public static Arbitrary<List<Op>> ops(Tuple.Tuple2<Integer, Kind>... weightedKinds) {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.frequency(weightedKinds),
                Arbitraries.integers().between(0, 1), Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(30);
    }

    private final byte[] bytes;
    private final boolean[] anything;
    private final boolean trimReadsAsZero;

    /** A disk holding {@code initial}; {@code trimReadsAsZero} says whether trimmed bytes must read as zeroes. */
    public ByteModel(byte[] initial, boolean trimReadsAsZero) {
        this.bytes = initial.clone();
        this.anything = new boolean[initial.length];
        this.trimReadsAsZero = trimReadsAsZero;
    }

    public int size() {
        return bytes.length;
    }

    /** Where {@code op} starts on this disk. */
    public int start(Op op) {
        return (int) (op.start() * (bytes.length - 1));
    }

    /** How long {@code op} is: at least 1, up to {@code span} bytes, within the disk. */
    public int length(Op op, int span) {
        int start = start(op);
        return Math.max(1, Math.min(bytes.length - start, (int) (op.length() * span)));
    }

    /**
     * Makes {@code op} (up to {@code span} bytes long) through {@code h} and applies it to the model;
     * {@link Kind#FLUSH} is only passed on: what a flush must achieve is the caller's to check.
     */
    public void apply(Op op, Handle h, int span, Supplier<String> context) throws IOException {
        int start = start(op);
        int length = length(op, span);
        switch (op.kind()) {
            case READ -> {
                ByteBuffer got = ByteBuffer.allocate(length);
                h.pread(got, start, 0);
                assertMatches(start, got.array(), context);
            }
            case WRITE, FUA_WRITE -> {
                byte[] data = new byte[length];
                new Random(op.seed()).nextBytes(data);
                h.pwrite(ByteBuffer.wrap(data), start, op.kind() == Kind.FUA_WRITE ? Flags.FUA : 0);
                System.arraycopy(data, 0, bytes, start, length);
                Arrays.fill(anything, start, start + length, false);
            }
            case ZERO -> {
                h.zero(length, start, op.seed() % 2 == 0 ? Flags.MAY_TRIM : 0);
                Arrays.fill(bytes, start, start + length, (byte) 0);
                Arrays.fill(anything, start, start + length, false);
            }
            case TRIM -> {
                h.trim(length, start, 0);
                if (trimReadsAsZero) {
                    Arrays.fill(bytes, start, start + length, (byte) 0);
                } else {
                    Arrays.fill(anything, start, start + length, true);
                }
            }
            case CACHE -> h.cache(length, start, 0);
            case EXTENTS -> h.extents(length, start, 0, (offset, len, type) -> {
                // Only the server drops what a layer reports past the end of the disk; here the model does.
                long end = Math.min(offset + len, bytes.length);
                if ((type & Extents.ZERO) != 0 && end > offset) {
                    assertMatches(offset, new byte[(int) (end - offset)], () -> "zero extent " + offset + "+" + len
                            + ": " + context.get());
                }
            });
            case FLUSH -> h.flush(0);
        }
    }

    /** Checks that {@code got}, read at {@code offset}, is what the model holds (bytes that may be anything aside). */
    public void assertMatches(long offset, byte[] got, Supplier<String> context) {
        for (int i = 0; i < got.length; i++) {
            int at = (int) offset + i;
            if (at >= bytes.length) {
                throw new AssertionError("byte " + at + " is past the end of the disk: " + context.get());
            }
            if (!anything[at] && got[i] != bytes[at]) {
                throw new AssertionError("byte " + at + " is " + got[i] + ", expected " + bytes[at] + ": " + context.get());
            }
        }
    }
}
