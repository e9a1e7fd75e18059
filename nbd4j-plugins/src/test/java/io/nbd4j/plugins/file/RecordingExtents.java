package io.nbd4j.plugins.file;

import io.nbd4j.spi.Extents;

import java.util.ArrayList;
import java.util.List;

/** Collects extents as a plugin reports them, checking order and contiguity as the server would. */
public final class RecordingExtents implements Extents {
    public record Extent(long offset, long length, int type) {
        long end() {
            return offset + length;
        }
    }

    private final List<Extent> extents = new ArrayList<>();

    @Override
    public void add(long offset, long length, int type) {
        if (length == 0) {
            return;
        }
        if (!extents.isEmpty() && extents.getLast().end() != offset) {
            throw new AssertionError("extent at " + offset + " does not follow " + extents.getLast());
        }
        extents.add(new Extent(offset, length, type));
    }

    public List<Extent> all() {
        return extents;
    }

    /** The type reported for the byte at {@code offset}. */
    public int typeAt(long offset) {
        for (Extent e : extents) {
            if (e.offset() <= offset && offset < e.end()) {
                return e.type();
            }
        }
        throw new AssertionError("no extent covers " + offset + ": " + extents);
    }
}
