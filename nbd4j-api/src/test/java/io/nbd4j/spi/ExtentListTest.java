package io.nbd4j.spi;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The extent helpers against a brute-force model: a disk whose type is known for every byte, reported
 * by a layer that answers as awkwardly as the protocol allows (a few extents per call, the first one
 * starting before the requested offset, the last one running past the request).
 */
class ExtentListTest {
    /** The types a layer may report. */
    private static final int[] TYPES = {Extents.DATA, Extents.HOLE, Extents.ZERO, Extents.HOLE | Extents.ZERO};

    /** A disk described byte by byte, reporting runs of equal bytes, at most {@code perCall} runs per call. */
    record MapDisk(int[] typeAt, int perCall) implements Handle {
        @Override
        public long size() {
            return typeAt.length;
        }

        @Override
        public void pread(ByteBuffer buffer, long offset, int flags) {
            throw new UnsupportedOperationException("only extents are asked");
        }

        @Override
        public void extents(long length, long offset, int flags, Extents extents) throws java.io.IOException {
            int at = (int) offset;
            while (at > 0 && typeAt[at - 1] == typeAt[(int) offset]) {
                at--;
            }
            int runs = Flags.has(flags, Flags.REQ_ONE) ? 1 : perCall;
            for (int r = 0; r < runs && at < typeAt.length; r++) {
                int runEnd = at;
                while (runEnd < typeAt.length && typeAt[runEnd] == typeAt[at]) {
                    runEnd++;
                }
                extents.add(at, runEnd - at, typeAt[at]);
                at = runEnd;
            }
        }
    }

    @Provide
    Arbitrary<MapDisk> disks() {
        Arbitrary<int[]> runs = Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(0, 3))
                .as((length, type) -> new int[] {length, TYPES[type]})
                .list().ofMinSize(1).ofMaxSize(30)
                .map(list -> {
                    List<Integer> bytes = new ArrayList<>();
                    for (int[] run : list) {
                        for (int i = 0; i < run[0]; i++) {
                            bytes.add(run[1]);
                        }
                    }
                    return bytes.stream().mapToInt(Integer::intValue).toArray();
                });
        return Combinators.combine(runs, Arbitraries.integers().between(1, 4)).as(MapDisk::new);
    }

    @Property
    void fullCoversTheWholeRangeWithTheTypeOfEveryByte(@ForAll("disks") MapDisk disk,
                                                        @ForAll @IntRange(max = 1200) int rawOffset,
                                                        @ForAll @IntRange(min = 1, max = 1200) int length,
                                                        @ForAll boolean reqOne) throws Exception {
        int offset = rawOffset % disk.typeAt().length;
        long stop = Math.min((long) offset + length, disk.size());

        ExtentList list = ExtentList.full(disk, length, offset, reqOne ? Flags.REQ_ONE : 0);

        assertThat(list.isFull()).isTrue();
        assertCoversExactly(list.extents(), offset, stop);
        for (Extent e : list.extents()) {
            for (long b = e.offset(); b < e.end(); b++) {
                assertThat(e.type()).as("type at byte %d", b).isEqualTo(disk.typeAt()[(int) b]);
            }
        }
        assertNeighboursDiffer(list.extents());
    }

    @Property
    void alignedAnswersWholeBlocksEachTheIntersectionOfItsBytes(@ForAll("disks") MapDisk disk,
                                                                 @ForAll @IntRange(max = 6) int alignmentBits,
                                                                 @ForAll @IntRange(max = 40) int startBlock,
                                                                 @ForAll @IntRange(min = 1, max = 40) int blocks,
                                                                 @ForAll boolean reqOne) throws Exception {
        int alignment = 1 << alignmentBits;
        long offset = (long) startBlock * alignment;
        if (offset >= disk.size()) {
            offset = disk.size() - 1 - (disk.size() - 1) % alignment;
        }
        long length = (long) blocks * alignment;
        long stop = Math.min(offset + length, disk.size());

        ExtentList list = ExtentList.aligned(disk, length, offset, reqOne ? Flags.REQ_ONE : 0, alignment);

        long end = list.coveredEnd();
        assertThat(end).as("at least the first block").isGreaterThanOrEqualTo(Math.min(offset + alignment, stop));
        assertThat(end).isLessThanOrEqualTo(stop);
        assertCoversExactly(list.extents(), offset, end);
        for (Extent e : list.extents()) {
            assertThat(e.offset() % alignment).isZero();
            assertThat(e.end() % alignment == 0 || e.end() == disk.size()).as("extent %s ends on a block boundary", e).isTrue();
            for (long block = e.offset(); block < e.end(); block += alignment) {
                int expected = Extents.HOLE | Extents.ZERO;
                for (long b = block; b < Math.min(block + alignment, disk.size()); b++) {
                    expected &= disk.typeAt()[(int) b];
                }
                assertThat(e.type()).as("type of the block at %d", block).isEqualTo(expected);
            }
        }
    }

    @Property
    void clippedAndShiftedShowAWindowOfTheLayerBelowFromZero(@ForAll("disks") MapDisk disk,
                                                             @ForAll @IntRange(max = 1200) int rawBase,
                                                             @ForAll @IntRange(min = 1, max = 1200) int rawSize,
                                                             @ForAll @IntRange(max = 1200) int rawOffset) throws Exception {
        int base = rawBase % disk.typeAt().length;
        int size = 1 + rawSize % (disk.typeAt().length - base);
        int offset = rawOffset % size;
        ExtentList seen = new ExtentList(offset, size);

        disk.extents(size - offset, base + offset, 0, Extents.clipped(Extents.shifted(seen, -base), base, base + size));

        assertThat(seen.extents()).isNotEmpty();
        assertThat(seen.extents().getFirst().offset()).isEqualTo(offset);
        assertThat(seen.coveredEnd()).isLessThanOrEqualTo(size);
        for (Extent e : seen.extents()) {
            for (long b = e.offset(); b < e.end(); b++) {
                assertThat(e.type()).isEqualTo(disk.typeAt()[(int) (base + b)]);
            }
        }
    }

    @Example
    void aGapIsRefusedAndARepeatedRangeIsDropped() throws Exception {
        ExtentList list = new ExtentList(100, 200);
        list.add(50, 100, Extents.DATA);
        list.add(120, 10, Extents.HOLE);
        list.add(150, 20, Extents.ZERO);

        assertThat(list.extents()).containsExactly(new Extent(100, 50, Extents.DATA), new Extent(150, 20, Extents.ZERO));
        assertThatThrownBy(() -> list.add(171, 5, Extents.DATA)).isInstanceOf(NbdException.class).hasMessageContaining("gap");
    }

    @Example
    void aMisalignedRangeIsRefused() {
        MapDisk disk = new MapDisk(new int[4096], 1);
        assertThatThrownBy(() -> ExtentList.aligned(disk, 512, 100, 0, 512)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtentList.aligned(disk, 512, 0, 0, 500)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertCoversExactly(List<Extent> extents, long start, long end) {
        long at = start;
        for (Extent e : extents) {
            assertThat(e.offset()).isEqualTo(at);
            assertThat(e.length()).isPositive();
            at = e.end();
        }
        assertThat(at).isEqualTo(end);
    }

    private static void assertNeighboursDiffer(List<Extent> extents) {
        for (int i = 1; i < extents.size(); i++) {
            assertThat(extents.get(i).type()).isNotEqualTo(extents.get(i - 1).type());
        }
    }
}
