package io.nbd4j.plugins.s3;

import io.nbd4j.plugins.s3.ObjectLayout.Piece;
import io.nbd4j.spi.Extents;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A disk made of the objects of an {@link ObjectLayout}: an absent object reads as zeroes, a request that
 * spans objects runs on all of them at once ({@link FanOut}), and a write of part of an object reads the
 * object, changes it and puts it back under that object's lock. A write is acknowledged only once the
 * store has accepted every object it touched, so flush has nothing left to do and FUA is free.
 *
 * <p>Threads: one instance serves every connection; any number of request threads call it at once.
 * Writers of the same object are serialized by {@link ObjectLocks}; readers take no lock (the store
 * replaces an object whole, so a read sees the old or the new object, as a read racing a write may).
 */
final class ObjectDisk {
    /** Above this many whole objects, zero lists which exist first instead of deleting each blindly. */
    private static final int LIST_BEFORE_DELETE = 8;
    private static final int LIST_PAGE = 1000;
    private static final byte[] ZEROES = new byte[64 * 1024];

    private final Bucket bucket;
    private final ObjectLayout layout;
    private final ObjectLocks locks = new ObjectLocks();

    ObjectDisk(Bucket bucket, ObjectLayout layout) {
        this.bucket = bucket;
        this.layout = layout;
    }

    ObjectLayout layout() {
        return layout;
    }

    void read(ByteBuffer buffer, long offset) throws IOException {
        ByteBuffer request = buffer.slice();
        FanOut.forEach(layout.pieces(offset, request.remaining()), p -> {
            ByteBuffer target = request.slice(p.bufferOffset(), p.length());
            if (!bucket.read(layout.key(p.index()), p.offsetInObject(), target, layout.objectSize())) {
                zeroFill(target);
            }
        });
    }

    void write(ByteBuffer buffer, long offset) throws IOException {
        ByteBuffer request = buffer.slice();
        FanOut.forEach(layout.pieces(offset, request.remaining()), p -> {
            ByteBuffer data = request.slice(p.bufferOffset(), p.length());
            ReentrantLock lock = locks.of(p.index());
            lock.lock();
            try {
                if (p.wholeObject(layout.objectSize())) {
                    bucket.put(layout.key(p.index()), data);
                } else {
                    ByteBuffer object = current(p.index());
                    object.put(p.offsetInObject(), data, 0, p.length());
                    bucket.put(layout.key(p.index()), object);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /** Makes the range read as zeroes: whole objects are deleted, the ends of partial ones rewritten. */
    void zero(long length, long offset) throws IOException {
        List<Piece> pieces = layout.pieces(offset, length);
        List<Piece> whole = pieces.stream().filter(p -> p.wholeObject(layout.objectSize())).toList();
        List<Piece> work = new ArrayList<>(pieces.size());
        Set<Long> existing = whole.size() > LIST_BEFORE_DELETE
                ? existingObjects(whole.getFirst().index(), whole.getLast().index() + 1) : null;
        for (Piece p : pieces) {
            if (existing == null || !p.wholeObject(layout.objectSize()) || existing.contains(p.index())) {
                work.add(p);
            }
        }
        if (work.isEmpty()) {
            return;
        }
        FanOut.forEach(work, p -> {
            ReentrantLock lock = locks.of(p.index());
            lock.lock();
            try {
                if (p.wholeObject(layout.objectSize())) {
                    bucket.delete(layout.key(p.index()));
                } else {
                    zeroPart(p);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    private void zeroPart(Piece p) throws IOException {
        ByteBuffer object = ByteBuffer.allocate(layout.objectSize());
        if (!bucket.read(layout.key(p.index()), 0, object, layout.objectSize())) {
            return; // absent: reads as zeroes already
        }
        object.clear();
        zeroFill(object.slice(p.offsetInObject(), p.length()));
        if (allZero(object)) {
            bucket.delete(layout.key(p.index()));
        } else {
            bucket.put(layout.key(p.index()), object);
        }
    }

    /**
     * Reports objects that exist as data and absent ones as holes that read as zeroes, from the object
     * holding {@code offset} on, for as far as one listing reaches.
     */
    void extents(long length, long offset, Extents extents) throws IOException {
        long first = offset / layout.objectSize();
        long end = Math.min(layout.objectCount(), (offset + length + layout.objectSize() - 1) / layout.objectSize());
        int max = (int) Math.min(LIST_PAGE, end - first);
        Bucket.Listing page = bucket.list(layout.prefix() + "/", first == 0 ? null : layout.key(first - 1), max);
        long next = first;
        boolean sawEnd = false;
        for (String key : page.keys()) {
            long index = layout.index(key);
            if (index < first) {
                continue; // another object under the same prefix
            }
            if (index >= end) {
                sawEnd = true;
                break;
            }
            addRun(extents, next, index, Extents.HOLE | Extents.ZERO);
            addRun(extents, index, index + 1, Extents.DATA);
            next = index + 1;
        }
        long covered = page.truncated() && !sawEnd ? next : end;
        if (covered == first) {
            addRun(extents, first, first + 1, Extents.DATA); // nothing learnt: data is always a true answer
            return;
        }
        addRun(extents, next, covered, Extents.HOLE | Extents.ZERO);
    }

    private void addRun(Extents extents, long fromIndex, long toIndex, int type) throws IOException {
        if (toIndex > fromIndex) {
            extents.add(fromIndex * layout.objectSize(), (toIndex - fromIndex) * layout.objectSize(), type);
        }
    }

    /** The numbers of the objects in {@code [from, to)} that exist now. */
    private Set<Long> existingObjects(long from, long to) throws IOException {
        Set<Long> found = new HashSet<>();
        String after = from == 0 ? null : layout.key(from - 1);
        while (true) {
            Bucket.Listing page = bucket.list(layout.prefix() + "/", after, LIST_PAGE);
            for (String key : page.keys()) {
                long index = layout.index(key);
                if (index >= to) {
                    return found;
                }
                if (index >= from) {
                    found.add(index);
                }
            }
            if (!page.truncated() || page.keys().isEmpty()) {
                return found;
            }
            after = page.keys().getLast();
        }
    }

    /** The object's current bytes, or zeroes when it does not exist; a heap buffer of objectSize, position 0. */
    private ByteBuffer current(long index) throws IOException {
        ByteBuffer object = ByteBuffer.allocate(layout.objectSize());
        bucket.read(layout.key(index), 0, object, layout.objectSize());
        return object.clear();
    }

    private static void zeroFill(ByteBuffer target) {
        while (target.hasRemaining()) {
            target.put(ZEROES, 0, Math.min(ZEROES.length, target.remaining()));
        }
    }

    private static boolean allZero(ByteBuffer object) {
        byte[] bytes = object.array();
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
