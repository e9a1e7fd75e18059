package io.nbd4j.spi;

/**
 * One extent as a filter reads it back from an {@link ExtentList}.
 *
 * @param offset where it starts
 * @param length how long it is (positive)
 * @param type   {@link Extents#DATA}, or a combination of {@link Extents#HOLE} and {@link Extents#ZERO}
 */
public record Extent(long offset, long length, int type) {
    /** The offset just past it. */
    public long end() {
        return offset + length;
    }

    public boolean isHole() {
        return (type & Extents.HOLE) != 0;
    }

    public boolean isZero() {
        return (type & Extents.ZERO) != 0;
    }
}
