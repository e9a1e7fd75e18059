package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

/**
 * A model test of concurrent writes for filters that split, merge or read-modify-write blocks: the
 * disk is cut into ranges at random (so ranges share blocks), each range is given to one of a few
 * writers, and the writers run at once, each on its own connection, changing only their own ranges
 * (writes, zeroes with and without {@code may_trim}, and optionally trims, which the filter under test
 * must make read as zeroes) and reading both their own ranges (checked: nobody else changes them) and
 * anywhere (unchecked: the read only has to happen, e.g. to keep blocks in an overlay). As no byte has
 * two writers, the end result cannot depend on the interleaving: it is the start with every writer's
 * changes applied in turn. A change that undid another writer's bytes (a read-modify-write that was
 * not serialized) shows as a difference.
 *
 * <p><b>Threads.</b> {@link Plan#runConcurrently} starts one platform thread per writer and joins them.
 */
public final class DisjointWriters {
    private DisjointWriters() {}

    public enum Kind { WRITE, ZERO, ZERO_MAY_TRIM, TRIM, READ_OWN, READ_ANY }

    /** One step of a writer: on its {@code range}-th range (modulo how many it has), at fractions of it. */
    public record Step(Kind kind, int range, double start, double length, int seed) {}

    /** Opens a connection's top handle. */
    @FunctionalInterface
    public interface Connector {
        Handle connect() throws IOException;
    }

    /**
     * Where the disk is cut (fractions of its size), which writer owns each range, and what each writer does.
     */
    public record Plan(List<Double> cuts, List<Integer> owners, List<List<Step>> writers) {
        /** The ranges as {@code [start, end)} pairs for a disk of {@code size} bytes, empty ones left out. */
        List<long[]> ranges(int size) {
            TreeSet<Integer> points = new TreeSet<>();
            points.add(0);
            points.add(size);
            for (double c : cuts) {
                points.add((int) (c * size));
            }
            List<long[]> ranges = new ArrayList<>();
            Integer prev = null;
            for (int p : points) {
                if (prev != null && p > prev) {
                    ranges.add(new long[] {prev, p});
                }
                prev = p;
            }
            return ranges;
        }

        /** The ranges writer {@code w} owns. */
        List<long[]> rangesOf(int w, int size) {
            List<long[]> all = ranges(size);
            List<long[]> mine = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (owners.get(i % owners.size()) % writers.size() == w) {
                    mine.add(all.get(i));
                }
            }
            return mine;
        }

        /** What the disk holds once every writer's changes were applied to {@code initial}. */
        public byte[] apply(byte[] initial) {
            byte[] disk = initial.clone();
            for (int w = 0; w < writers.size(); w++) {
                for (Step s : writers.get(w)) {
                    long[] r = target(s, rangesOf(w, disk.length));
                    if (r != null) {
                        change(disk, s, r);
                    }
                }
            }
            return disk;
        }

        /**
         * Runs the writers at once over connections from {@code connector}, starting from a disk that
         * holds {@code initial}, then reads the whole disk through a fresh connection and checks that
         * it holds what {@link #apply} says.
         *
         * @throws AssertionError naming the first wrong byte, or if a writer read its own range and did
         *                        not see its own changes
         */
        public void verifyConcurrently(byte[] initial, Connector connector) throws Exception {
            byte[] expected = apply(initial);
            byte[] got = runConcurrently(initial, connector);
            for (int i = 0; i < expected.length; i++) {
                if (got[i] != expected[i]) {
                    throw new AssertionError("byte " + i + " of " + expected.length + " is " + got[i] + ", expected "
                            + expected[i] + ", after " + this);
                }
            }
        }

        private byte[] runConcurrently(byte[] initial, Connector connector) throws Exception {
            int size = initial.length;
            List<Handle> handles = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                handles.add(connector.connect());
            }
            CyclicBarrier start = new CyclicBarrier(writers.size());
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        runWriter(writer, handles.get(writer), initial.clone(), size);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("a writer failed: " + failures.getFirst(), failures.getFirst());
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
            ByteBuffer all = ByteBuffer.allocate(size);
            connector.connect().pread(all, 0, 0);
            return all.array();
        }

        private void runWriter(int w, Handle h, byte[] mine, int size) throws IOException {
            List<long[]> ranges = rangesOf(w, size);
            for (Step s : writers.get(w)) {
                if (s.kind() == Kind.READ_ANY) {
                    int start = (int) (s.start() * (size - 1));
                    int length = Math.max(1, (int) (s.length() * (size - start)));
                    h.pread(ByteBuffer.allocate(length), start, 0);
                    continue;
                }
                long[] r = target(s, ranges);
                if (r == null) {
                    continue;
                }
                int start = (int) r[0];
                int length = (int) (r[1] - r[0]);
                switch (s.kind()) {
                    case WRITE -> h.pwrite(ByteBuffer.wrap(bytes(s, length)), start, 0);
                    case ZERO -> h.zero(length, start, 0);
                    case ZERO_MAY_TRIM -> h.zero(length, start, Flags.MAY_TRIM);
                    case TRIM -> h.trim(length, start, 0);
                    case READ_OWN -> {
                        ByteBuffer got = ByteBuffer.allocate(length);
                        h.pread(got, start, 0);
                        if (!Arrays.equals(got.array(), Arrays.copyOfRange(mine, start, start + length))) {
                            throw new AssertionError("writer " + w + " read " + start + "+" + length
                                    + " of its own range and missed its own changes");
                        }
                    }
                    case READ_ANY -> throw new IllegalStateException("handled above");
                }
                change(mine, s, r);
            }
        }
    }

    /** The part of the step's range it works on, or null when the writer has no range. */
    private static long[] target(Step s, List<long[]> ranges) {
        if (ranges.isEmpty()) {
            return null;
        }
        long[] r = ranges.get(Math.floorMod(s.range(), ranges.size()));
        long span = r[1] - r[0];
        long start = r[0] + (long) (s.start() * (span - 1));
        long length = Math.max(1, (long) (s.length() * (r[1] - start)));
        return new long[] {start, start + length};
    }

    private static byte[] bytes(Step s, int length) {
        byte[] b = new byte[length];
        new Random(s.seed()).nextBytes(b);
        return b;
    }

    private static void change(byte[] disk, Step s, long[] r) {
        int start = (int) r[0];
        int length = (int) (r[1] - r[0]);
        switch (s.kind()) {
            case WRITE -> System.arraycopy(bytes(s, length), 0, disk, start, length);
            case ZERO, ZERO_MAY_TRIM, TRIM -> Arrays.fill(disk, start, start + length, (byte) 0);
            case READ_OWN, READ_ANY -> { }
        }
    }

    /** Plans of 2 to 4 writers over up to 16 ranges; {@code trims} says whether writers trim too. */
    public static Arbitrary<Plan> plans(boolean trims) {
        Arbitrary<Kind> kinds = trims
                ? Arbitraries.frequency(Tuple.of(6, Kind.WRITE), Tuple.of(1, Kind.ZERO), Tuple.of(1, Kind.ZERO_MAY_TRIM),
                        Tuple.of(1, Kind.TRIM), Tuple.of(2, Kind.READ_OWN), Tuple.of(2, Kind.READ_ANY))
                : Arbitraries.frequency(Tuple.of(6, Kind.WRITE), Tuple.of(1, Kind.ZERO), Tuple.of(1, Kind.ZERO_MAY_TRIM),
                        Tuple.of(2, Kind.READ_OWN), Tuple.of(2, Kind.READ_ANY));
        Arbitrary<Step> step = Combinators.combine(kinds, Arbitraries.integers().between(0, 15),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1), Arbitraries.integers()).as(Step::new);
        Arbitrary<List<Double>> cuts = Arbitraries.doubles().between(0, 1).list().ofMinSize(1).ofMaxSize(15);
        Arbitrary<List<Integer>> owners = Arbitraries.integers().between(0, 3).list().ofMinSize(2).ofMaxSize(16);
        Arbitrary<List<List<Step>>> writers = step.list().ofMinSize(5).ofMaxSize(40).list().ofMinSize(2).ofMaxSize(4);
        return Combinators.combine(cuts, owners, writers).as(Plan::new);
    }
}
