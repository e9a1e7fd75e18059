package io.nbd4j.filters.cache;

import io.nbd4j.filters.testkit.ByteModel;
import io.nbd4j.filters.testkit.CountingMemoryPlugin;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

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
    Arbitrary<List<ByteModel.Op>> ops() {
        return ByteModel.ops(Tuple.of(5, ByteModel.Kind.READ), Tuple.of(5, ByteModel.Kind.WRITE),
                Tuple.of(1, ByteModel.Kind.FUA_WRITE), Tuple.of(2, ByteModel.Kind.ZERO), Tuple.of(1, ByteModel.Kind.TRIM),
                Tuple.of(1, ByteModel.Kind.CACHE), Tuple.of(1, ByteModel.Kind.EXTENTS), Tuple.of(2, ByteModel.Kind.FLUSH));
    }

    @Property(tries = 250)
    void everyReadSeesTheLastWriteAndEveryFlushMakesItDurable(@ForAll("setups") Setup setup,
                                                               @ForAll("ops") List<ByteModel.Op> ops) throws Exception {
        CacheFilter filter = new CacheFilter(new CacheSettings(setup.mode(), setup.blockSize(),
                () -> setup.cacheOnRead(), setup.limit()));
        CountingMemoryPlugin plugin = new CountingMemoryPlugin(setup.size(), setup.pluginFua());
        plugin.multiConn = setup.pluginMultiConn();
        ByteModel model = new ByteModel(new byte[setup.size()], false);
        try (FakeServer server = new FakeServer(filter, plugin)) {
            Handle[] c = {server.connect().top(), server.connect().top()};
            for (ByteModel.Op op : ops) {
                // Up to two and a half blocks, so that requests span block boundaries.
                model.apply(op, c[op.connection()], (int) (2.5 * setup.blockSize()), () -> op + " in " + ops);
                if (op.kind() == ByteModel.Kind.FLUSH && setup.mode() != WriteMode.UNSAFE) {
                    model.assertMatches(0, plugin.durableContent(), () -> "durable after " + ops);
                }
                if (setup.mode() == WriteMode.WRITETHROUGH) {
                    model.assertMatches(0, plugin.content(), () -> "plugin after " + op + " in " + ops);
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
}
