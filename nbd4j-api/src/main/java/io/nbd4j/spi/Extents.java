package io.nbd4j.spi;

/**
 * Where a layer reports allocation for {@link Handle#extents}. Extents are added in ascending order
 * and must be contiguous; the first must start at or before the requested offset. The receiver clips
 * them to the request and merges neighbours of the same type.
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
}
