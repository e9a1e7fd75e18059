package io.nbd4j.filters.cache;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a connection lets a size-limited cache do with a dirty block it would drop: keep it until a flush
 * writes it back, or write it back now through this connection (and flush, so that every connection
 * reads it from the layer below).
 */
interface DirtyBlocks {
    /** Whether a dirty block may be written back and dropped; if not, only clean blocks are dropped. */
    boolean mayDrop();

    /** Writes a dirty block's bytes to the layer below. */
    void writeBack(ByteBuffer block, long offset) throws IOException;

    /** Makes the blocks written back so far readable through every connection below (a flush), if it can. */
    void publish() throws IOException;
}
