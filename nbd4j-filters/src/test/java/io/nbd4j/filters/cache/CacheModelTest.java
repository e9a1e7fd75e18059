package io.nbd4j.filters.cache;

import io.nbd4j.filters.testkit.CountingMemoryPlugin;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache filter against a plain byte array: random block sizes (with a short last block), write modes,
 * cache-on-read, size limits of a few blocks (so that blocks are dropped all the time), and random reads,
 * writes, zeroes, trims, cache requests, extents and flushes at unaligned offsets on two connections.
 * Every read must return what the array holds; every flush (except in unsafe mode) must have made the
 * array durable in the plugin; writethrough must keep the plugin equal to the array; a range reported as
 * zero must hold zeroes; and a limited cache file must never have more slots than its high threshold
 * (unless it keeps dirty blocks until a flush, over a plugin without multi-conn). Trimmed bytes may read
 * as anything until written again.
 */
class CacheModelTest {
    enum Kind { READ, WRITE, FUA_WRITE, ZERO, TRIM, CACHE, EXTENTS, FLUSH }

    record Op(Kind kind, int connection, double start, double length, int seed) {}

    record Setup(WriteMode mode, int blockSize, int size, boolean cacheOnRead, CacheLimit limit, FuaMode pluginFua,
                 boolean pluginMultiConn) {
        /** Whether the cache may drop dirty blocks, so that its limit holds whatever is written. */
        boolean dropsDirtyBlocks() {
            return mode != WriteMode.WRITEBACK || pluginMultiConn;
        }
    }

    @Provide
    Arbitrary<Setup> setups() {
        Arbitrary<Integer> blockSize = Arbitraries.of(4096, 8192, 16384);
        Arbitrary<Integer> blocks = Arbitraries.integers().between(1, 6);
        Arbitrary<Integer> tail = Arbitraries.integers().between(0, 4095);
        Arbitrary<CacheLimit> limit = Arbitraries.oneOf(
                Arbitraries.just(CacheLimit.UNLIMITED),
                Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(2, 100))
                        .as((maxBlocks, high) -> new CacheLimit(maxBlocks, high, high / 2)));
        return Combinators.combine(Arbitraries.of(WriteMode.class), blockSize, blocks, tail, Arbitraries.of(true, false),
                        limit, Arbitraries.of(FuaMode.NATIVE, FuaMode.EMULATE), Arbitraries.of(true, false))
                .as((mode, bs, n, t, onRead, l, fua, multiConn) -> new Setup(mode, bs, n * bs + t, onRead,
                        l.limited() ? new CacheLimit(l.maxSize() * bs, l.highPercent(), l.lowPercent()) : l, fua,
                        multiConn));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.frequency(
                        Tuple.of(5, Kind.READ), Tuple.of(5, Kind.WRITE), Tuple.of(1, Kind.FUA_WRITE),
                        Tuple.of(2, Kind.ZERO), Tuple.of(1, Kind.TRIM), Tuple.of(1, Kind.CACHE),
                        Tuple.of(1, Kind.EXTENTS), Tuple.of(2, Kind.FLUSH)),
                Arbitraries.integers().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 250)
    void everyReadSeesTheLastWriteAndEveryFlushMakesItDurable(@ForAll("setups") Setup setup,
                                                               @ForAll("ops") List<Op> ops) throws Exception {
        CacheFilter filter = new CacheFilter(new CacheSettings(setup.mode(), setup.blockSize(),
                () -> setup.cacheOnRead(), setup.limit()));
        CountingMemoryPlugin plugin = new CountingMemoryPlugin(setup.size(), setup.pluginFua());
        plugin.multiConn = setup.pluginMultiConn();
        byte[] model = new byte[setup.size()];
        boolean[] anything = new boolean[setup.size()];
        try (FakeServer server = new FakeServer(filter, plugin)) {
            Handle[] c = {server.connect().top(), server.connect().top()};
            for (Op op : ops) {
                Handle h = c[op.connection()];
                int start = (int) (op.start() * (setup.size() - 1));
                // Up to two and a half blocks, so that requests span block boundaries.
                int length = Math.max(1, Math.min(setup.size() - start, (int) (op.length() * 2.5 * setup.blockSize())));
                switch (op.kind()) {
                    case READ -> {
                        ByteBuffer got = ByteBuffer.allocate(length);
                        h.pread(got, start, 0);
                        assertMatches(model, anything, start, got.array(), () -> op + " in " + ops);
                    }
                    case WRITE, FUA_WRITE -> {
                        byte[] data = new byte[length];
                        Arrays.fill(data, (byte) op.seed());
                        data[0] = (byte) (op.seed() >> 8);
                        h.pwrite(ByteBuffer.wrap(data), start, op.kind() == Kind.FUA_WRITE ? Flags.FUA : 0);
                        System.arraycopy(data, 0, model, start, length);
                        Arrays.fill(anything, start, start + length, false);
                    }
                    case ZERO -> {
                        h.zero(length, start, op.seed() % 2 == 0 ? Flags.MAY_TRIM : 0);
                        Arrays.fill(model, start, start + length, (byte) 0);
                        Arrays.fill(anything, start, start + length, false);
                    }
                    case TRIM -> {
                        h.trim(length, start, 0);
                        Arrays.fill(anything, start, start + length, true);
                    }
                    case CACHE -> h.cache(length, start, 0);
                    case EXTENTS -> h.extents(length, start, 0, (offset, len, type) -> {
                        // Only the server drops what a plugin reports past the end of the disk; here the test does.
                        long end = Math.min(offset + len, setup.size());
                        if ((type & Extents.ZERO) != 0 && end > offset) {
                            assertMatches(model, anything, offset, new byte[(int) (end - offset)],
                                    () -> "zero extent " + offset + "+" + len + " after " + ops);
                        }
                    });
                    case FLUSH -> {
                        h.flush(0);
                        if (setup.mode() != WriteMode.UNSAFE) {
                            assertMatches(model, anything, 0, plugin.durableContent(), () -> "durable after " + ops);
                        }
                    }
                }
                if (setup.mode() == WriteMode.WRITETHROUGH) {
                    assertMatches(model, anything, 0, plugin.content(), () -> "plugin after " + op + " in " + ops);
                }
                assertWithinLimit(filter, setup);
            }
        } finally {
            filter.unload();
        }
    }

    private static void assertWithinLimit(CacheFilter filter, Setup setup) throws Exception {
        if (!setup.limit().limited() || !setup.dropsDirtyBlocks()) {
            return;
        }
        LimitedResidency residency = (LimitedResidency) filter.cacheOf("").residency();
        long bound = Math.max(1, setup.limit().highBlocks(setup.blockSize()));
        assertThat(residency.slots()).as("slots of the cache file").isLessThanOrEqualTo((int) bound);
    }

    private static void assertMatches(byte[] model, boolean[] anything, long offset, byte[] got,
                                      Supplier<String> context) {
        for (int i = 0; i < got.length; i++) {
            int at = (int) offset + i;
            if (at >= model.length) {
                throw new AssertionError("byte " + at + " is past the end of the disk: " + context.get());
            }
            if (!anything[at] && got[i] != model[at]) {
                throw new AssertionError("byte " + at + " is " + got[i] + ", expected " + model[at] + ": " + context.get());
            }
        }
    }
}
