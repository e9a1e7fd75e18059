package io.nbd4j.filters.blocksize;

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

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocksize filter against a plain byte array, with random block sizes and limits. In turn: random
 * reads, writes, zeroes, trims, cache requests and extents at any offset and length on two
 * connections; every read must return what the array holds (trimmed bytes may read as anything), a
 * range reported as zero must hold zeroes, and every call below must be aligned and within the limits.
 * At once: writers on their own connections changing disjoint ranges that share blocks; every
 * read-modify-write must keep the other writers' bytes.
 */
class BlocksizeModelTest {
    record Setup(int minblock, int maxdataBlocks, int maxlenBlocks, int size, long seed) {
        String[] parameters() {
            return new String[] {"minblock=" + minblock, "maxdata=" + (long) maxdataBlocks * minblock,
                    "maxlen=" + (long) maxlenBlocks * minblock};
        }
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(Arbitraries.of(512, 1024, 4096), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(0, 511), Arbitraries.longs())
                .as((mb, data, len, blocks, tail, seed) -> new Setup(mb, data, len, blocks * mb + tail, seed));
    }

    @Provide
    Arbitrary<List<ByteModel.Op>> ops() {
        return ByteModel.ops();
    }

    private static byte[] initial(Setup setup) {
        byte[] bytes = new byte[setup.size()];
        new Random(setup.seed()).nextBytes(bytes);
        return bytes;
    }

    @Property(tries = 200)
    void readsSeeEveryChangeAndEveryCallBelowIsAlignedAndWithinTheLimits(@ForAll("setups") Setup setup,
                                                                          @ForAll("ops") List<ByteModel.Op> ops) throws Exception {
        ScriptedPlugin plugin = new ScriptedPlugin(setup.size()).fill(0, initial(setup));
        int size = setup.size() - setup.size() % setup.minblock();
        ByteModel model = new ByteModel(Arrays.copyOf(initial(setup), size), false);
        try (FakeServer server = new FakeServer(Layers.configured(new BlocksizeFilter(), setup.parameters()), plugin)) {
            Handle[] c = {server.connect().top(), server.connect().top()};
            assertThat(c[0].size()).isEqualTo(size);
            for (ByteModel.Op op : ops) {
                model.apply(op, c[op.connection()], 3 * setup.minblock() * setup.maxdataBlocks(), () -> op + " in " + ops);
            }
        }
        BlocksizeFilterTest.assertEveryCallAligned(plugin, setup.minblock(),
                (long) setup.maxdataBlocks() * setup.minblock(), (long) setup.maxlenBlocks() * setup.minblock());
    }

    @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
    void concurrentChangesToDisjointRangesOfSharedBlocksAllSurvive(@ForAll("setups") Setup setup,
                                                                   @ForAll("plans") DisjointWriters.Plan plan) throws Exception {
        byte[] initial = initial(setup);
        ScriptedPlugin plugin = new ScriptedPlugin(setup.size()).fill(0, initial);
        int size = setup.size() - setup.size() % setup.minblock();
        try (FakeServer server = new FakeServer(Layers.configured(new BlocksizeFilter(), setup.parameters()), plugin)) {
            plan.verifyConcurrently(Arrays.copyOf(initial, size), () -> server.connect().top());
        }
    }

    @Provide
    Arbitrary<DisjointWriters.Plan> plans() {
        return DisjointWriters.plans(false);
    }
}
