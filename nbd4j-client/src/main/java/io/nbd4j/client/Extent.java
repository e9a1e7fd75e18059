package io.nbd4j.client;

import io.nbd4j.protocol.MetaContexts;

/**
 * One block status extent: {@code length} bytes from {@code offset} share the context-defined
 * {@code flags} (for {@code base:allocation}, {@link MetaContexts#STATE_HOLE} and
 * {@link MetaContexts#STATE_ZERO}). Immutable.
 */
public record Extent(long offset, long length, long flags) {

    public long end() {
        return offset + length;
    }

    public boolean isHole() {
        return (flags & MetaContexts.STATE_HOLE) != 0;
    }

    public boolean isZero() {
        return (flags & MetaContexts.STATE_ZERO) != 0;
    }
}
