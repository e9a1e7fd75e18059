package io.nbd4j.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@link Extents} sink that keeps what it is given, for a filter that must look at the extents of
 * the layer below before it answers (nbdkit's {@code nbdkit_extents_new}): it keeps only the part of
 * each extent inside its window {@code [start, end)}, merges neighbours of the same type, and may be
 * filled by several calls to the layer below in turn (a later call may repeat what an earlier one
 * covered; that part is dropped). {@link #full} and {@link #aligned} fill one in the usual ways.
 *
 * <p><b>Threads.</b> Not thread-safe: one filter call fills and reads it.
 */
public final class ExtentList implements Extents {
    private final long start;
    private final long end;
    private final List<Extent> extents = new ArrayList<>();
    private long covered;

    /** An empty list for the window {@code [start, end)}; usually the request's range. */
    public ExtentList(long start, long end) {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad extent window [" + start + ", " + end + ")");
        }
        this.start = start;
        this.end = end;
        this.covered = start;
    }

    /**
     * Adds one extent, clipped to the window. Extents must come in order without gaps: each starts at
     * or before the end of what is covered so far.
     *
     * @throws NbdException ({@code EIO}) for a gap, a negative length or an unknown type
     */
    @Override
    public void add(long offset, long length, int type) throws NbdException {
        if (length < 0 || (type & ~(HOLE | ZERO)) != 0) {
            throw new NbdException(NbdError.EIO, "extents: bad extent length " + length + " or type " + type);
        }
        if (length == 0 || covered == end) {
            return;
        }
        if (offset > covered) {
            throw new NbdException(NbdError.EIO, "extents: extent at " + offset + " leaves a gap after " + covered);
        }
        long from = covered;
        long to = Math.min(offset + length, end);
        if (to <= from) {
            return;
        }
        Extent last = extents.isEmpty() ? null : extents.getLast();
        if (last != null && last.type() == type) {
            extents.set(extents.size() - 1, new Extent(last.offset(), to - last.offset(), type));
        } else {
            extents.add(new Extent(from, to - from, type));
        }
        covered = to;
    }

    /** The extents so far, in order, merged, inside the window. */
    public List<Extent> extents() {
        return Collections.unmodifiableList(extents);
    }

    /** Where the extents so far end: the window's start when there are none, its end once it is full. */
    public long coveredEnd() {
        return covered;
    }

    /** Whether the extents cover the whole window. */
    public boolean isFull() {
        return covered == end;
    }

    /** Passes every extent to {@code sink}, in order. */
    public void sendTo(Extents sink) throws IOException {
        for (Extent e : extents) {
            sink.add(e.offset(), e.length(), e.type());
        }
    }

    /**
     * Asks {@code below} as often as it takes to learn the extents of the whole range
     * {@code [offset, offset + length)}, cut short at the export's end (nbdkit's
     * {@code nbdkit_extents_full}). {@link Flags#REQ_ONE} is not passed on, so each call returns as
     * much as the layer knows.
     *
     * @throws NbdException ({@code EIO}) if the layer stops making progress
     */
    public static ExtentList full(Handle below, long length, long offset, int flags) throws IOException {
        long stop = Math.min(offset + length, below.size());
        ExtentList list = new ExtentList(offset, Math.max(offset, stop));
        list.fillTo(below, list.end, flags & ~Flags.REQ_ONE);
        return list;
    }

    /**
     * The extents of {@code [offset, offset + length)} rounded to blocks of {@code alignment} bytes, so
     * that a client only ever sees whole blocks (nbdkit's {@code nbdkit_extents_aligned}): a block is a
     * hole, or reads as zeroes, only if all of it does; otherwise it is data. At least the first block
     * is answered, asking the layer below again until that block is known, and then as many whole blocks
     * as its answers covered. A last block cut short by the export's end counts as a block.
     *
     * @param alignment a power of two; {@code offset} must be a multiple of it, and so must
     *                  {@code length} unless the range ends at or past the export's end
     * @throws IllegalArgumentException for a misaligned range or an alignment that is no power of two
     */
    public static ExtentList aligned(Handle below, long length, long offset, int flags, long alignment) throws IOException {
        if (alignment < 1 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        long size = below.size();
        long stop = Math.min(offset + length, size);
        if (offset % alignment != 0 || (stop < size && length % alignment != 0)) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " is not aligned to " + alignment);
        }
        ExtentList raw = new ExtentList(offset, Math.max(offset, stop));
        if (raw.isFull()) {
            return raw;
        }
        below.extents(stop - offset, offset, flags, raw);
        raw.fillTo(below, Math.min(offset + alignment, stop), flags);
        long known = raw.coveredEnd() == stop ? stop : raw.coveredEnd() - raw.coveredEnd() % alignment;
        ExtentList blocks = new ExtentList(offset, known);
        raw.mergeInto(blocks, alignment);
        return blocks;
    }

    /** Asks {@code below} from where the list ends until it covers {@code target}. */
    private void fillTo(Handle below, long target, int flags) throws IOException {
        while (covered < target) {
            long from = covered;
            below.extents(end - from, from, flags, this);
            if (covered == from) {
                throw new NbdException(NbdError.EIO, "extents: the layer below reported nothing at offset " + from);
            }
        }
    }

    /** Adds this list's extents to {@code blocks} block by block, a block that mixes types as their intersection. */
    private void mergeInto(ExtentList blocks, long alignment) throws NbdException {
        long limit = blocks.end;
        int mixed = 0;
        for (Extent e : extents) {
            long at = e.offset();
            long to = Math.min(e.end(), limit);
            while (at < to) {
                long blockStart = at - at % alignment;
                long blockEnd = Math.min(blockStart + alignment, limit);
                if (at == blockStart && to >= blockEnd) {
                    long wholeEnd = to == limit ? limit : to - to % alignment;
                    blocks.add(at, wholeEnd - at, e.type());
                    at = wholeEnd;
                } else {
                    long partEnd = Math.min(to, blockEnd);
                    mixed = at == blockStart ? e.type() : mixed & e.type();
                    if (partEnd == blockEnd) {
                        blocks.add(blockStart, blockEnd - blockStart, mixed);
                    }
                    at = partEnd;
                }
            }
        }
    }
}
