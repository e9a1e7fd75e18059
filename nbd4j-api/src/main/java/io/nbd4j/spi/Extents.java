package io.nbd4j.spi;

/**
 * Where a layer reports allocation for {@link Handle#extents}. Extents are added in ascending order
 * and must be contiguous; the first must start at or before the requested offset. The receiver clips
 * them to the request and merges neighbours of the same type.
 *
 * <p>A filter that moves or cuts the export passes the layer below a sink wrapped in
 * {@link #clipped} and {@link #shifted}; one that needs the extents in hand first collects them in an
 * {@link ExtentList} ({@link ExtentList#full}, {@link ExtentList#aligned}). An offset filter serving
 * bytes {@code [base, base + size)} of the layer below, for example, asks
 * {@code next.extents(length, offset + base, flags, Extents.clipped(Extents.shifted(sink, -base), base, base + size))}.
 *
 * <p>Only the thread that was handed the sink may call it, and only until {@code extents} returns.
 */
public interface Extents {
    /** Allocated data. */
    int DATA = 0;
    /** Not allocated: reading it costs nothing. */
    int HOLE = 1;
    /** Reads as zeroes. */
    int ZERO = 2;

    /**
     * Adds one extent.
     *
     * @param offset where it starts
     * @param length how long it is; zero-length extents are ignored
     * @param type   {@link #DATA}, or a combination of {@link #HOLE} and {@link #ZERO}
     * @throws NbdException if the extent is out of order or leaves a gap
     */
    void add(long offset, long length, int type) throws NbdException;

    /**
     * A sink that moves every extent by {@code delta} bytes before passing it to {@code target}: a
     * filter whose offset 0 is the layer below's offset {@code base} passes {@code shifted(sink, -base)}.
     * Extents that would start before 0 must have been clipped away first ({@link #clipped}).
     */
    static Extents shifted(Extents target, long delta) {
        return (offset, length, type) -> target.add(offset + delta, length, type);
    }

    /**
     * A sink that passes on only the part of each extent inside {@code [start, end)}: what the layer
     * below reports before or beyond the range a filter serves is dropped.
     */
    static Extents clipped(Extents target, long start, long end) {
        return (offset, length, type) -> {
            long from = Math.max(offset, start);
            long to = Math.min(offset + length, end);
            if (to > from) {
                target.add(from, to - from, type);
            }
        };
    }
}
