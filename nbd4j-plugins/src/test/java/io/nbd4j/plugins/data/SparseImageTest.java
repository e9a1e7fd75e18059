package io.nbd4j.plugins.data;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.nbd4j.plugins.data.DataDisks.b;
import static org.assertj.core.api.Assertions.assertThat;

class SparseImageTest {
    private static final int CHUNK = SparseImage.CHUNK;
    private static final int SPAN = 5 * CHUNK;

    enum Kind { WRITE, FILL, ZERO, BLIT_OTHER, BLIT_FORWARD, REPEAT }

    record Op(Kind kind, int offset, int length, int value, int times) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> offsets = Arbitraries.oneOf(Arbitraries.integers().between(0, SPAN - 1),
                Arbitraries.integers().between(-3, 3).map(d -> Math.floorMod(2 * CHUNK + d, SPAN)));
        Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 2 * CHUNK + 7));
        return Combinators.combine(Arbitraries.of(Kind.class), offsets, lengths, Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 4))
                .as(Op::new).list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 200)
    void anImageReadsLikeAByteArray(@ForAll("ops") List<Op> ops) {
        byte[] model = new byte[4 * SPAN];
        SparseImage image = new SparseImage();
        SparseImage other = new SparseImage();
        byte[] otherModel = new byte[SPAN];
        for (int i = 0; i < SPAN; i += 3 * CHUNK / 2) {
            otherModel[i] = (byte) (i / 100 + 1);
            other.write(i, otherModel, i, 1);
        }
        for (Op op : ops) {
            int length = Math.min(op.length(), SPAN - op.offset());
            switch (op.kind()) {
                case WRITE -> {
                    byte[] data = new byte[length];
                    Arrays.fill(data, (byte) op.value());
                    image.write(op.offset(), data, 0, length);
                    System.arraycopy(data, 0, model, op.offset(), length);
                }
                case FILL, ZERO -> {
                    byte v = op.kind() == Kind.ZERO ? 0 : (byte) op.value();
                    image.fill(op.offset(), length, v);
                    Arrays.fill(model, op.offset(), op.offset() + length, v);
                }
                case BLIT_OTHER -> {
                    int from = (op.offset() * 7) % SPAN;
                    int n = Math.min(length, SPAN - from);
                    image.blit(other, from, n, op.offset());
                    System.arraycopy(otherModel, from, model, op.offset(), n);
                }
                case BLIT_FORWARD -> {
                    image.blit(image, op.offset(), length, op.offset() + length);
                    System.arraycopy(model, op.offset(), model, op.offset() + length, length);
                }
                case REPEAT -> {
                    image.repeatForward(op.offset(), length, op.times());
                    for (int t = 1; t < op.times(); t++) {
                        System.arraycopy(model, op.offset(), model, op.offset() + t * length, length);
                    }
                }
            }
            byte[] got = new byte[model.length];
            image.read(0, got);
            assertThat(got).as("after %s", op).isEqualTo(model);
        }
    }

    @Test
    void writtenZeroesStayAllocatedButAZeroReleasesWhatItEmpties() {
        SparseImage image = new SparseImage();
        image.write(CHUNK + 5, new byte[3], 0, 3);
        assertThat(image.isAllocated(CHUNK)).isTrue();
        image.write(3 * CHUNK, b(1, 2), 0, 2);
        image.zero(3 * CHUNK + 1, 1);
        assertThat(image.isAllocated(3 * CHUNK)).as("still holds a 1").isTrue();
        image.zero(3 * CHUNK, 1);
        assertThat(image.isAllocated(3 * CHUNK)).isFalse();
        image.fill(CHUNK + 100, 1, (byte) 0);
        assertThat(image.isAllocated(CHUNK)).as("a zero fill is a zero").isFalse();
    }

    @Test
    void aBlitOverwritesWithTheSourcesHolesAndCopiesItsAllocation() {
        SparseImage source = new SparseImage();
        source.write(2 * CHUNK, new byte[1], 0, 1);
        SparseImage image = new SparseImage();
        image.fill(0, 3 * CHUNK, (byte) 9);
        image.blit(source, 0, 3 * CHUNK, 0);
        assertThat(image.isAllocated(0)).isFalse();
        assertThat(image.isAllocated(2 * CHUNK)).as("a written zero stays written").isTrue();
        assertThat(image.chunkCount()).isEqualTo(1);
    }

    @Test
    void repeatingASparseUnitCostsItsChunksTimesTheCopies() {
        SparseImage image = new SparseImage();
        long unit = 1L << 33;
        image.write(0, b(1), 0, 1);
        image.write(unit - 1, b(2), 0, 1);
        image.repeatForward(0, unit, 1000);
        assertThat(image.chunkCount()).isEqualTo(2000);
        byte[] edge = new byte[2];
        image.read(500 * unit - 1, edge);
        assertThat(edge).isEqualTo(b(2, 1));
    }
}
