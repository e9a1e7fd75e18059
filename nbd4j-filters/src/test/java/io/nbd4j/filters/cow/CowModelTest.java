package io.nbd4j.filters.cow;

import io.nbd4j.filters.testkit.DisjointWriters;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
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
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cow filter against a plain byte array. In turn: random reads, writes, zeroes, trims, cache
 * requests and extents at unaligned offsets on two connections, every read checked against the array
 * and every range reported as zero checked to hold zeroes. At once: several threads on their own
 * connections writing, zeroing and trimming disjoint ranges that share blocks, while reads keep
 * blocks ({@code cow-on-read}); afterwards the disk must hold exactly what each thread wrote, so a
 * read-modify-write that lost another thread's bytes, or a block kept from below over a write, shows.
 * The layer below must never change.
 */
class CowModelTest {
    enum Kind { READ, WRITE, ZERO, TRIM, CACHE, EXTENTS }

    record Op(Kind kind, int connection, double start, double length, int seed) {}

    record Setup(int blockSize, int size, boolean onRead, boolean onCache, long belowSeed) {}

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(Arbitraries.of(4096, 8192), Arbitraries.integers().between(1, 6),
                        Arbitraries.integers().between(0, 4095), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.longs())
                .as((bs, n, tail, onRead, onCache, seed) -> new Setup(bs, n * bs + tail, onRead, onCache, seed));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.frequency(Tuple.of(5, Kind.READ), Tuple.of(5, Kind.WRITE), Tuple.of(2, Kind.ZERO),
                        Tuple.of(2, Kind.TRIM), Tuple.of(1, Kind.CACHE), Tuple.of(2, Kind.EXTENTS)),
                Arbitraries.integers().between(0, 1), Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(30);
    }

    private static CowFilter filter(Setup setup) throws Exception {
        return Layers.configured(new CowFilter(), "cow-block-size=" + setup.blockSize(),
                "cow-on-read=" + setup.onRead(), "cow-on-cache=" + setup.onCache());
    }

    private static byte[] below(Setup setup) {
        byte[] bytes = new byte[setup.size()];
        new Random(setup.belowSeed()).nextBytes(bytes);
        return bytes;
    }

    @Property(tries = 200)
    void everyReadSeesTheLastChangeAndTheLayerBelowNeverChanges(@ForAll("setups") Setup setup,
                                                                @ForAll("ops") List<Op> ops) throws Exception {
        byte[] below = below(setup);
        ScriptedPlugin plugin = new ScriptedPlugin(setup.size()).fill(0, below);
        byte[] model = below.clone();
        CowFilter filter = filter(setup);
        try (FakeServer server = new FakeServer(filter, plugin)) {
            Handle[] c = {server.connect().top(), server.connect().top()};
            for (Op op : ops) {
                Handle h = c[op.connection()];
                int start = (int) (op.start() * (setup.size() - 1));
                int length = Math.max(1, Math.min(setup.size() - start, (int) (op.length() * 2.5 * setup.blockSize())));
                switch (op.kind()) {
                    case READ -> {
                        ByteBuffer got = ByteBuffer.allocate(length);
                        h.pread(got, start, 0);
                        assertThat(got.array()).as("%s after %s", op, ops).isEqualTo(Arrays.copyOfRange(model, start, start + length));
                    }
                    case WRITE -> {
                        byte[] data = new byte[length];
                        new Random(op.seed()).nextBytes(data);
                        h.pwrite(ByteBuffer.wrap(data), start, 0);
                        System.arraycopy(data, 0, model, start, length);
                    }
                    case ZERO -> {
                        h.zero(length, start, op.seed() % 2 == 0 ? Flags.MAY_TRIM : 0);
                        Arrays.fill(model, start, start + length, (byte) 0);
                    }
                    case TRIM -> {
                        h.trim(length, start, 0);
                        Arrays.fill(model, start, start + length, (byte) 0);
                    }
                    case CACHE -> h.cache(length, start, 0);
                    case EXTENTS -> h.extents(length, start, 0, (offset, len, type) -> {
                        if ((type & Extents.ZERO) != 0) {
                            assertThat(Arrays.copyOfRange(model, (int) offset, (int) (offset + len)))
                                    .as("zero extent %d+%d after %s", offset, len, ops).containsOnly(0);
                        }
                    });
                }
            }
        } finally {
            filter.unload();
        }
        assertThat(plugin.read(0, setup.size())).isEqualTo(below);
        assertThat(plugin.calls()).noneMatch(call -> call.startsWith("pwrite") || call.startsWith("zero") || call.startsWith("trim"));
    }

    @Property(tries = 60)
    void concurrentChangesToDisjointRangesOfSharedBlocksAllSurvive(@ForAll("setups") Setup setup,
                                                                   @ForAll("plans") DisjointWriters.Plan plan) throws Exception {
        byte[] below = below(setup);
        ScriptedPlugin plugin = new ScriptedPlugin(setup.size()).fill(0, below);
        CowFilter filter = filter(setup);
        try (FakeServer server = new FakeServer(filter, plugin)) {
            plan.verifyConcurrently(below, () -> server.connect().top());
        } finally {
            filter.unload();
        }
        assertThat(plugin.read(0, setup.size())).isEqualTo(below);
    }

    @Provide
    Arbitrary<DisjointWriters.Plan> plans() {
        return DisjointWriters.plans(true);
    }
}
