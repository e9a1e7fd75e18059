package io.nbd4j.filters.cow;

import io.nbd4j.filters.testkit.ByteModel;
import io.nbd4j.filters.testkit.DisjointWriters;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.spi.Handle;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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
    record Setup(int blockSize, int size, boolean onRead, boolean onCache, long belowSeed) {}

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(Arbitraries.of(4096, 8192), Arbitraries.integers().between(1, 6),
                        Arbitraries.integers().between(0, 4095), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.longs())
                .as((bs, n, tail, onRead, onCache, seed) -> new Setup(bs, n * bs + tail, onRead, onCache, seed));
    }

    @Provide
    Arbitrary<List<ByteModel.Op>> ops() {
        return ByteModel.ops();
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
                                                                @ForAll("ops") List<ByteModel.Op> ops) throws Exception {
        byte[] below = below(setup);
        ScriptedPlugin plugin = new ScriptedPlugin(setup.size()).fill(0, below);
        ByteModel model = new ByteModel(below, true);
        CowFilter filter = filter(setup);
        try (FakeServer server = new FakeServer(filter, plugin)) {
            Handle[] c = {server.connect().top(), server.connect().top()};
            for (ByteModel.Op op : ops) {
                model.apply(op, c[op.connection()], (int) (2.5 * setup.blockSize()), () -> op + " in " + ops);
            }
        } finally {
            filter.unload();
        }
        assertThat(plugin.read(0, setup.size())).isEqualTo(below);
        assertThat(plugin.calls()).noneMatch(call -> call.startsWith("pwrite") || call.startsWith("zero") || call.startsWith("trim"));
    }

    @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
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
