package io.nbd4j.protocol;

/**
 * When a reader of an NBD stream reads ahead into a buffer of its own and when it reads straight into
 * the caller's target, for the server's request stream and the client's reply stream alike.
 *
 * <p>Small reads (a header, a chunk's offset, a 4 KiB payload) are served from a buffer that one system
 * call fills with whatever has arrived, so several of them cost one call; a read at least as large as
 * {@code directBytes} goes straight into its target, so bulk data is not copied twice. Right after such
 * a read the next message is probably large too, so the rest of a bulk read also goes straight to its
 * target, and the next fill stops at {@link #AFTER_BULK_BYTES}, enough for the next header: a full fill
 * would copy the start of the next payload a second time (32 KiB of every 256 KiB read through the nbd
 * plugin, 3% of the proxy's CPU time).
 *
 * <p><b>Threads.</b> The reading thread only.
 */
public final class ReadAheadPolicy {
    /** An extended header, a data chunk's offset and some room: what is read ahead right after bulk data. */
    public static final int AFTER_BULK_BYTES = 64;

    private final int directBytes;
    /** Whether the last read from the stream went straight into a large target. */
    private boolean afterBulk;

    /** {@code directBytes}: the smallest read that always goes straight into its target (the buffer's size). */
    public ReadAheadPolicy(int directBytes) {
        this.directBytes = directBytes;
    }

    /** Whether a read wanting {@code wanted} bytes, with nothing read ahead, goes straight into its target. */
    public boolean readsDirectly(int wanted) {
        if (wanted >= directBytes || (afterBulk && wanted > AFTER_BULK_BYTES)) {
            afterBulk = true;
            return true;
        }
        return false;
    }

    /** How many bytes the next fill of a read-ahead buffer of {@code capacity} bytes may take. */
    public int fillLimit(int capacity) {
        if (afterBulk) {
            afterBulk = false;
            return Math.min(AFTER_BULK_BYTES, capacity);
        }
        return capacity;
    }
}
