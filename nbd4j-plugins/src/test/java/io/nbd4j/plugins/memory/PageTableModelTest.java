package io.nbd4j.plugins.memory;

import io.nbd4j.spi.Extents;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
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
    private static final int KERNEL_PAGE = AnonymousMemory.pageSize();
    /** A huge page as {@code allocator=sparse,hugepages=true} uses it: 2 MiB, whatever this kernel offers. */
    private static final int HUGE_PAGE = 2 << 20;

    enum Kind { WRITE, ZERO, TRIM, READ }

    record Op(Kind kind, int offset, int length, int seed) {}

    /**
     * A disk of {@code pages} units of {@code page} bytes whose byte 0 sits 10 units and 123 bytes before
     * the end of region 0 (or 1.5 units for short disks), so it crosses from region 0 into region 1.
     */
    private record Layout(int page, int pages) {
        int disk() {
            return pages * page;
        }

        long base() {
            return PageTable.REGION_BYTES - Math.min(10L * page, (long) pages * page / 2) - 123;
        }

        long pageOf(long offset) {
            return offset / page;
        }

        int index(long unit) {
            return (int) (unit - pageOf(base()));
        }
    }

    private static final Layout KERNEL_PAGES = new Layout(KERNEL_PAGE, 24);
    private static final Layout HUGE_PAGES = new Layout(HUGE_PAGE, 4);

    private static Arbitrary<List<Op>> ops(Layout layout, int maxOps) {
        int disk = layout.disk();
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, disk - 1),
                        Arbitraries.oneOf(Arbitraries.integers().between(1, 64),
                                Arbitraries.integers().between(1, Math.min(6 * layout.page(), disk))),
                        Arbitraries.integers().between(0, 255))
                .as((k, off, len, seed) -> new Op(k, off, Math.min(len, disk - off), seed));
        return op.list().ofMinSize(1).ofMaxSize(maxOps);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return ops(KERNEL_PAGES, 40);
    }

    @Provide
    Arbitrary<List<Op>> hugeOps() {
        return ops(HUGE_PAGES, 12);
    }

    @Property(tries = 200)
    void tableBehavesLikeAByteArray(@ForAll("ops") List<Op> ops) throws Exception {
        try (PageTable table = new PageTable()) {
            check(table, KERNEL_PAGES, ops);
        }
    }

    /** With hugepages=true the unit is the huge page: trims release and extents report whole 2 MiB units. */
    @Property(tries = 25)
    void hugePageTableBehavesLikeAByteArrayInHugePageUnits(@ForAll("hugeOps") List<Op> ops) throws Exception {
        Assume.that(AnonymousMemory.transparentHugePageSize() > 0);
        try (PageTable table = new PageTable(HUGE_PAGE)) {
            assertThat(table.pageSize()).isEqualTo(HUGE_PAGE);
            check(table, HUGE_PAGES, ops);
        }
    }

    private static void check(PageTable table, Layout layout, List<Op> ops) throws Exception {
        long base = layout.base();
        int page = layout.page();
        byte[] model = new byte[layout.disk()];
        boolean[] allocated = new boolean[(int) (layout.pageOf(base + model.length - 1) - layout.pageOf(base) + 1)];
        for (Op op : ops) {
            switch (op.kind) {
                case WRITE -> {
                    byte[] data = new byte[op.length];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (byte) (op.seed + i * 13 + 1);
                    }
                    System.arraycopy(data, 0, model, op.offset, data.length);
                    table.write(ByteBuffer.wrap(data), base + op.offset);
                    for (long p = layout.pageOf(base + op.offset); p <= layout.pageOf(base + op.offset + op.length - 1); p++) {
                        allocated[layout.index(p)] = true;
                    }
                }
                case ZERO, TRIM -> {
                    Arrays.fill(model, op.offset, op.offset + op.length, (byte) 0);
                    table.zero(op.length, base + op.offset);
                    long start = base + op.offset;
                    long end = start + op.length;
                    for (long p = layout.pageOf(start + page - 1); (p + 1) * page <= end; p++) {
                        allocated[layout.index(p)] = false;
                    }
                }
                case READ -> {
                    ByteBuffer got = ByteBuffer.allocate(op.length);
                    table.read(got, base + op.offset);
                    assertThat(got.array()).isEqualTo(Arrays.copyOfRange(model, op.offset, op.offset + op.length));
                }
            }
            checkWholeDiskAndExtents(table, layout, model, allocated);
        }
    }

    private static void checkWholeDiskAndExtents(PageTable table, Layout layout, byte[] model, boolean[] allocated)
            throws Exception {
        long base = layout.base();
        ByteBuffer all = ByteBuffer.allocate(model.length);
        table.read(all, base);
        assertThat(all.array()).isEqualTo(model);

        // Extents must tile the disk, and say data exactly on the pages written since their last release.
        long[] next = {base};
        table.extents(model.length, base, false, (offset, length, type) -> {
            assertThat(offset).isEqualTo(next[0]);
            next[0] = offset + length;
            assertThat(type).isIn(Extents.DATA, Extents.HOLE | Extents.ZERO);
            for (long p = layout.pageOf(offset); p <= layout.pageOf(offset + length - 1); p++) {
                assertThat(allocated[layout.index(p)])
                        .as("page %d in extent %d+%d of type %d", layout.index(p), offset - base, length, type)
                        .isEqualTo(type == Extents.DATA);
            }
        });
        assertThat(next[0]).isEqualTo(base + model.length);

        long expectedPages = 0;
        for (boolean a : allocated) {
            expectedPages += a ? 1 : 0;
        }
        assertThat(table.allocatedPages()).isEqualTo(expectedPages);
    }
}
