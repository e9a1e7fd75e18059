package io.nbd4j.plugins.memory;

import io.nbd4j.spi.Extents;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random writes, zeroes, trims and reads on a small disk that straddles a region boundary, checked
 * against a plain byte array after every step.
 */
class PageTableModelTest {
    private static final int PAGE = AnonymousMemory.pageSize();
    private static final int DISK = 24 * PAGE;
    /** The model's byte 0 sits this far into the table, so the disk crosses from region 0 into region 1. */
    private static final long BASE = PageTable.REGION_BYTES - 10 * PAGE - 123;

    enum Kind { WRITE, ZERO, TRIM, READ }

    record Op(Kind kind, int offset, int length, int seed) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, DISK - 1),
                        Arbitraries.oneOf(Arbitraries.integers().between(1, 64), Arbitraries.integers().between(1, 6 * PAGE)),
                        Arbitraries.integers().between(0, 255))
                .as((k, off, len, seed) -> new Op(k, off, Math.min(len, DISK - off), seed));
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 200)
    void tableBehavesLikeAByteArray(@ForAll("ops") List<Op> ops) throws Exception {
        byte[] model = new byte[DISK];
        try (PageTable table = new PageTable()) {
            for (Op op : ops) {
                switch (op.kind) {
                    case WRITE -> {
                        byte[] data = new byte[op.length];
                        for (int i = 0; i < data.length; i++) {
                            data[i] = (byte) (op.seed + i * 13 + 1);
                        }
                        System.arraycopy(data, 0, model, op.offset, data.length);
                        table.write(ByteBuffer.wrap(data), BASE + op.offset);
                    }
                    case ZERO, TRIM -> {
                        Arrays.fill(model, op.offset, op.offset + op.length, (byte) 0);
                        table.zero(op.length, BASE + op.offset);
                    }
                    case READ -> {
                        ByteBuffer got = ByteBuffer.allocate(op.length);
                        table.read(got, BASE + op.offset);
                        assertThat(got.array()).isEqualTo(Arrays.copyOfRange(model, op.offset, op.offset + op.length));
                    }
                }
                checkWholeDiskAndExtents(table, model);
            }
        }
    }

    private static void checkWholeDiskAndExtents(PageTable table, byte[] model) throws Exception {
        ByteBuffer all = ByteBuffer.allocate(DISK);
        table.read(all, BASE);
        assertThat(all.array()).isEqualTo(model);

        long[] next = {BASE};
        table.extents(DISK, BASE, false, (offset, length, type) -> {
            assertThat(offset).isEqualTo(next[0]);
            next[0] = offset + length;
            if (type != Extents.DATA) {
                assertThat(type).isEqualTo(Extents.HOLE | Extents.ZERO);
                int from = (int) (offset - BASE);
                int to = (int) (offset + length - BASE);
                assertThat(Arrays.copyOfRange(model, from, to)).as("hole at %d+%d", from, to - from)
                        .isEqualTo(new byte[to - from]);
            }
        });
        assertThat(next[0]).isEqualTo(BASE + DISK);

        // A data page was written since its last release, a hole page was not: at most every page
        // touched by the disk holds data, and a page holding non-zero bytes is always data.
        long pagesCrossed = (BASE + DISK + PAGE - 1) / PAGE - BASE / PAGE;
        assertThat(table.allocatedPages()).isBetween(0L, pagesCrossed);
    }
}
