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
        boolean[] allocated = new boolean[(int) (pageOf(BASE + DISK - 1) - pageOf(BASE) + 1)];
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
                        for (long p = pageOf(BASE + op.offset); p <= pageOf(BASE + op.offset + op.length - 1); p++) {
                            allocated[index(p)] = true;
                        }
                    }
                    case ZERO, TRIM -> {
                        Arrays.fill(model, op.offset, op.offset + op.length, (byte) 0);
                        table.zero(op.length, BASE + op.offset);
                        long start = BASE + op.offset;
                        long end = start + op.length;
                        for (long p = pageOf(start + PAGE - 1); (p + 1) * PAGE <= end; p++) {
                            allocated[index(p)] = false;
                        }
                    }
                    case READ -> {
                        ByteBuffer got = ByteBuffer.allocate(op.length);
                        table.read(got, BASE + op.offset);
                        assertThat(got.array()).isEqualTo(Arrays.copyOfRange(model, op.offset, op.offset + op.length));
                    }
                }
                checkWholeDiskAndExtents(table, model, allocated);
            }
        }
    }

    private static long pageOf(long offset) {
        return offset / PAGE;
    }

    private static int index(long page) {
        return (int) (page - pageOf(BASE));
    }

    private static void checkWholeDiskAndExtents(PageTable table, byte[] model, boolean[] allocated) throws Exception {
        ByteBuffer all = ByteBuffer.allocate(DISK);
        table.read(all, BASE);
        assertThat(all.array()).isEqualTo(model);

        // Extents must tile the disk, and say data exactly on the pages written since their last release.
        long[] next = {BASE};
        table.extents(DISK, BASE, false, (offset, length, type) -> {
            assertThat(offset).isEqualTo(next[0]);
            next[0] = offset + length;
            assertThat(type).isIn(Extents.DATA, Extents.HOLE | Extents.ZERO);
            for (long p = pageOf(offset); p <= pageOf(offset + length - 1); p++) {
                assertThat(allocated[index(p)]).as("page %d in extent %d+%d of type %d", index(p), offset - BASE, length, type)
                        .isEqualTo(type == Extents.DATA);
            }
        });
        assertThat(next[0]).isEqualTo(BASE + DISK);

        long expectedPages = 0;
        for (boolean a : allocated) {
            expectedPages += a ? 1 : 0;
        }
        assertThat(table.allocatedPages()).isEqualTo(expectedPages);
    }
}
