package io.nbd4j.server.backend;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

/**
 * Stands between a layer's {@code extents} call and the caller's sink: checks that the layer adds
 * extents in order and without gaps, starting at or before the requested offset, drops the parts
 * before the offset and past the end of the export, and passes the rest on.
 *
 * <p>Used by one thread for one call.
 */
final class CheckedExtents implements Extents {
    private final String layerName;
    private final long requestOffset;
    private final long exportSize;
    private final Extents sink;
    private long expected = -1;
    private boolean forwardedAny;

    CheckedExtents(String layerName, long requestOffset, long exportSize, Extents sink) {
        this.layerName = layerName;
        this.requestOffset = requestOffset;
        this.exportSize = exportSize;
        this.sink = sink;
    }

    @Override
    public void add(long offset, long length, int type) throws NbdException {
        if (length == 0) {
            return;
        }
        if (length < 0 || (type & ~(HOLE | ZERO)) != 0) {
            throw fault("bad extent length " + length + " or type " + type);
        }
        if (expected < 0) {
            if (Long.compareUnsigned(offset, requestOffset) > 0) {
                throw fault("first extent starts at " + offset + ", after the requested offset " + requestOffset);
            }
        } else if (offset != expected) {
            throw fault("extent at " + offset + " does not follow the previous one, which ended at " + expected);
        }
        expected = offset + length;
        long start = Math.max(offset, requestOffset);
        long end = Math.min(offset + length, exportSize);
        if (end > start) {
            sink.add(start, end - start, type);
            forwardedAny = true;
        }
    }

    /** Throws unless the layer reported something for the requested range. */
    void finish() throws NbdException {
        if (!forwardedAny) {
            throw fault("returned no extents covering offset " + requestOffset);
        }
    }

    private NbdException fault(String message) {
        return new NbdException(NbdError.EIO, layerName + ": extents: " + message);
    }
}
