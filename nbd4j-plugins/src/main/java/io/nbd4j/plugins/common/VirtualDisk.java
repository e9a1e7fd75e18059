package io.nbd4j.plugins.common;

import io.nbd4j.spi.Extents;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only disk laid out as regions end to end, each either bytes held in memory, zeroes, or
 * content produced on demand (a file allocation table computed entry by entry, a file read from the
 * host): what the floppy and linuxdisk plugins serve. Regions of zeroes are reported as holes, so a
 * client copying the disk skips them.
 *
 * <p>Threads: immutable once built; reads may come from any number of threads at once, so every
 * {@link Content} must allow that.
 */
public final class VirtualDisk {
    /** Bytes produced on demand. */
    @FunctionalInterface
    public interface Content {
        /**
         * Fills {@code into} (position to limit) with the bytes at {@code offset} of this region; the
         * range lies within the region.
         */
        void read(ByteBuffer into, long offset) throws IOException;
    }

    private record Region(long start, long length, Content content) {
        boolean isZero() {
            return content == null;
        }
    }

    private final Region[] regions;
    private final long[] starts;
    private final long size;

    private VirtualDisk(List<Region> regions, long size) {
        this.regions = regions.toArray(Region[]::new);
        this.starts = regions.stream().mapToLong(Region::start).toArray();
        this.size = size;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long size() {
        return size;
    }

    /** Fills {@code into} (position to limit) with the disk's bytes at {@code offset}. */
    public void read(ByteBuffer into, long offset) throws IOException {
        ByteBuffer out = into.duplicate();
        long at = offset;
        int index = regionAt(at);
        while (out.hasRemaining()) {
            Region r = regions[index];
            int n = (int) Math.min(out.remaining(), r.start() + r.length() - at);
            ByteBuffer slice = out.slice(out.position(), n);
            if (r.isZero()) {
                fillZero(slice);
            } else {
                r.content().read(slice, at - r.start());
            }
            out.position(out.position() + n);
            at += n;
            index++;
        }
    }

    /** Reports the regions of zeroes as holes and everything else as data, from {@code offset} on. */
    public void extents(long offset, long length, boolean firstOnly, Extents sink) throws IOException {
        long end = Math.min(size, offset + length);
        for (int i = regionAt(offset); i < regions.length && regions[i].start() < end; i++) {
            Region r = regions[i];
            sink.add(r.start(), r.length(), r.isZero() ? Extents.HOLE | Extents.ZERO : Extents.DATA);
            if (firstOnly) {
                return;
            }
        }
    }

    private int regionAt(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    private static final byte[] ZEROES = new byte[65536];

    private static void fillZero(ByteBuffer b) {
        while (b.hasRemaining()) {
            b.put(ZEROES, 0, Math.min(ZEROES.length, b.remaining()));
        }
    }

    /**
     * Lays out a disk from its first byte. Empty regions are skipped; neighbouring zero regions stay
     * separate regions, which costs nothing.
     *
     * <p>Threads: one thread.
     */
    public static final class Builder {
        private final List<Region> regions = new ArrayList<>();
        private long position;

        private Builder() {}

        /** Where the next region starts. */
        public long position() {
            return position;
        }

        /** {@code length} bytes: {@code data}, then zeroes if the data is shorter. */
        public Builder bytes(byte[] data, long length) {
            byte[] held = data.clone();
            return content(length, (into, offset) -> {
                ByteBuffer out = into.duplicate();
                if (offset < held.length) {
                    int n = (int) Math.min(out.remaining(), held.length - offset);
                    out.put(held, (int) offset, n);
                }
                fillZero(out);
            });
        }

        /** The bytes of {@code data}. */
        public Builder bytes(byte[] data) {
            return bytes(data, data.length);
        }

        public Builder zeroes(long length) {
            return add(length, null);
        }

        /** Zeroes up to {@code offset}, which must not lie behind the current position. */
        public Builder zeroesTo(long offset) {
            if (offset < position) {
                throw new IllegalArgumentException("offset " + offset + " lies behind position " + position);
            }
            return zeroes(offset - position);
        }

        public Builder content(long length, Content content) {
            return add(length, content);
        }

        private Builder add(long length, Content content) {
            if (length < 0) {
                throw new IllegalArgumentException("negative length " + length);
            }
            if (length > 0) {
                regions.add(new Region(position, length, content));
                position = Math.addExact(position, length);
            }
            return this;
        }

        public VirtualDisk build() {
            return new VirtualDisk(regions, position);
        }
    }
}
