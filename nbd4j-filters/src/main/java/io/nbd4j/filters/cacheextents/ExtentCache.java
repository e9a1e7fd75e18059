package io.nbd4j.filters.cacheextents;

import io.nbd4j.spi.Extent;
import io.nbd4j.spi.ExtentList;

import java.util.List;

/**
 * The one answer the cacheextents filter remembers: the extents the layer below last reported, with the
 * export they belong to. Any write, trim or zero forgets it.
 *
 * <p>A fill that raced a write must not be stored, or a stale answer would outlive the write. So a write
 * counts itself in flight and bumps a generation when it starts; a fill notes the generation when it
 * starts and stores its answer only if no write was in flight then and the generation is unchanged.
 *
 * <p><b>Threads.</b> Shared by every connection; every method holds this object's monitor, briefly.
 */
final class ExtentCache {
    private String export;
    private List<Extent> extents;
    private long start;
    private long end;
    private long generation;
    private int writesInFlight;

    /** The cached extents if they are {@code export}'s and cover {@code offset}, else null. */
    synchronized List<Extent> lookup(String export, long offset) {
        if (extents == null || !export.equals(this.export) || offset < start || offset >= end) {
            return null;
        }
        return extents;
    }

    /** Called before asking the layer below; the token for {@link #store}, or -1 if a write is running. */
    synchronized long fillStarting() {
        return writesInFlight > 0 ? -1 : generation;
    }

    /** Keeps {@code answer} unless a write started since {@code token} was given, or it is empty. */
    synchronized void store(long token, String export, ExtentList answer) {
        if (token < 0 || token != generation || answer.extents().isEmpty()) {
            return;
        }
        this.export = export;
        this.extents = answer.extents();
        this.start = extents.getFirst().offset();
        this.end = extents.getLast().end();
    }

    synchronized void writeStarting() {
        writesInFlight++;
        generation++;
        extents = null;
    }

    synchronized void writeEnded() {
        writesInFlight--;
    }
}
