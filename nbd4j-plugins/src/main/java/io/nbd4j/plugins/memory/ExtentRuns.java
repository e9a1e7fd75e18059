package io.nbd4j.plugins.memory;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdException;

/**
 * Merges consecutive runs of the same type before they reach an {@link Extents} sink, and stops after
 * the first complete extent when the client asked for only one. Used by one thread for one call.
 */
public final class ExtentRuns {
    private final Extents sink;
    private final boolean onlyFirst;
    private long start = -1;
    private long end;
    private int type;
    private boolean full;

    public ExtentRuns(Extents sink, boolean onlyFirst) {
        this.sink = sink;
        this.onlyFirst = onlyFirst;
    }

    /** Adds {@code [from, to)} of {@code runType}; returns false once no more runs are wanted. */
    public boolean add(long from, long to, int runType) throws NbdException {
        if (full) {
            return false;
        }
        if (start >= 0 && runType == type && from == end) {
            end = to;
            return true;
        }
        if (start >= 0) {
            sink.add(start, end - start, type);
            if (onlyFirst) {
                full = true;
                return false;
            }
        }
        start = from;
        end = to;
        type = runType;
        return true;
    }

    /** Whether the caller can stop producing runs. */
    public boolean full() {
        return full;
    }

    /** Sends the run still being merged. */
    public void finish() throws NbdException {
        if (!full && start >= 0) {
            sink.add(start, end - start, type);
            full = true;
        }
    }
}
