package io.nbd4j.filters.luks;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection's view of the decrypted payload: every read decrypts the whole sectors it touches;
 * a write of whole sectors is encrypted and written; a write that covers part of a sector reads,
 * decrypts, changes and re-encrypts that sector under a lock, so two such writes into one sector
 * never lose each other's bytes. Zero is done by the server writing zeroes (they must be
 * encrypted) and trim is not offered (it would expose unencrypted-looking garbage).
 *
 * <p><b>Threads.</b> Any number of threads, as the layer below allows; the locks of partial-sector
 * writes are shared by every connection of the filter ({@link SectorLocks}).
 */
final class LuksHandle extends FilterHandle {
    private static final int SECTOR = LuksHeader.SECTOR;

    private final LuksFilter filter;
    private LuksVolume volume;

    LuksHandle(Next next, LuksFilter filter) {
        super(next);
        this.filter = filter;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        volume = filter.volume(next);
    }

    @Override
    public long size() throws IOException {
        long payload = next.size() - volume.payloadOffset();
        return payload - payload % SECTOR;
    }

    @Override public boolean canTrim() { return false; }
    @Override public boolean canZero() { return false; }
    @Override public boolean canFastZero() { return false; }
    @Override public boolean canExtents() { return false; }
    @Override public CacheMode canCache() { return CacheMode.EMULATE; }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        long first = offset / SECTOR;
        byte[] plain = readSectors(first, sectorsSpanned(offset, buffer.remaining()));
        buffer.put(buffer.position(), plain, (int) (offset - first * SECTOR), buffer.remaining());
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        int length = buffer.remaining();
        long first = offset / SECTOR;
        int count = sectorsSpanned(offset, length);
        if (offset % SECTOR == 0 && length % SECTOR == 0) {
            byte[] data = new byte[length];
            buffer.get(buffer.position(), data);
            writeSectors(data, first, flags);
            return;
        }
        long last = first + count - 1;
        ReentrantLock[] held = filter.sectorLocks().lock(first, last);
        try {
            byte[] data = readSectors(first, count);
            buffer.get(buffer.position(), data, (int) (offset - first * SECTOR), length);
            writeSectors(data, first, flags);
        } finally {
            SectorLocks.unlock(held);
        }
    }

    private static int sectorsSpanned(long offset, int length) {
        long first = offset / SECTOR;
        long end = (offset + length + SECTOR - 1) / SECTOR;
        return (int) (end - first);
    }

    private byte[] readSectors(long first, int count) throws IOException {
        byte[] data = new byte[count * SECTOR];
        next.pread(ByteBuffer.wrap(data), volume.payloadOffset() + first * SECTOR, 0);
        volume.apply(false, data, data.length, first);
        return data;
    }

    /** Encrypts {@code data} (whole sectors, consumed) and writes it from sector {@code first}. */
    private void writeSectors(byte[] data, long first, int flags) throws IOException {
        volume.apply(true, data, data.length, first);
        next.pwrite(ByteBuffer.wrap(data), volume.payloadOffset() + first * SECTOR, flags);
    }
}
