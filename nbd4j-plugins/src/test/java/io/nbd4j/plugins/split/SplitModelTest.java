package io.nbd4j.plugins.split;

import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.nbd4j.plugins.file.Requests.open;
import static org.assertj.core.api.Assertions.assertThat;

/** Random writes and zeroes on a split disk read back exactly as on one flat array. */
class SplitModelTest {
    /** One operation at a fraction of the disk: write a fill byte, or zero, over [start, start + length). */
    record Op(double start, double length, int fill, boolean zero, boolean mayTrim) {}

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 255), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(Op::new);
    }

    @Property(tries = 40)
    void splitDiskBehavesLikeOneArray(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 20000) Integer> sizes,
                                      @ForAll @Size(max = 12) List<@From("ops") Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("nbd4j-split-");
        try {
            SplitPlugin plugin = new SplitPlugin();
            int total = 0;
            for (int i = 0; i < sizes.size(); i++) {
                Path f = dir.resolve("part" + i);
                Files.write(f, new byte[sizes.get(i)]);
                plugin.config("file", f.toString());
                total += sizes.get(i);
            }
            plugin.configComplete();
            byte[] model = new byte[total];
            try (Handle h = plugin.open(open(""))) {
                assertThat(h.size()).isEqualTo(total);
                for (Op op : ops) {
                    int start = (int) (op.start() * total);
                    int length = (int) (op.length() * (total - start));
                    apply(h, op, start, length);
                    byte value = op.zero() ? 0 : (byte) op.fill();
                    java.util.Arrays.fill(model, start, start + length, value);
                }
                ByteBuffer all = ByteBuffer.allocate(total);
                h.pread(all, 0, 0);
                assertThat(all.array()).isEqualTo(model);
            }
        } finally {
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void apply(Handle h, Op op, int start, int length) throws IOException {
        if (length == 0) {
            return;
        }
        if (!op.zero()) {
            byte[] data = new byte[length];
            java.util.Arrays.fill(data, (byte) op.fill());
            h.pwrite(ByteBuffer.wrap(data), start, 0);
            return;
        }
        try {
            h.zero(length, start, op.mayTrim() ? Flags.MAY_TRIM : 0);
        } catch (NbdException e) {
            // ENOTSUP: do what the server does and write zeroes.
            h.pwrite(ByteBuffer.allocate(length), start, 0);
        }
    }
}
