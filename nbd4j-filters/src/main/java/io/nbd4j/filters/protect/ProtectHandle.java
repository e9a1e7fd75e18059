package io.nbd4j.filters.protect;

import io.nbd4j.filters.common.BelowContent;
import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The protect filter for one connection: before a write, trim or zero reaches the layer below, each
 * part of it inside a protected range is compared with what is there (a trim or zero must find zeroes);
 * any difference fails the whole request with {@code EPERM} and nothing is written. Parts outside every
 * range cost nothing.
 *
 * <p><b>Threads.</b> Holds only the immutable ranges; safe under any thread model. The check and the
 * write need no lock between them: only writes that leave protected bytes as they are get through, so
 * those bytes never change and a check can never be made stale by another request.
 */
final class ProtectHandle extends SameDataHandle {
    private final ProtectedRanges ranges;

    ProtectHandle(Next next, ProtectedRanges ranges) {
        super(next);
        this.ranges = ranges;
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        check(buffer, buffer.remaining(), offset);
        next.pwrite(buffer, offset, flags);
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        check(null, length, offset);
        next.trim(length, offset, flags);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        check(null, length, offset);
        next.zero(length, offset, flags);
    }

    /** Fails unless every protected byte of the range would keep its content ({@code data} null: become zero). */
    private void check(ByteBuffer data, long length, long offset) throws IOException {
        long end = offset + length;
        for (int i = ranges.firstEndingAtOrAfter(offset); ; i++) {
            ProtectedRanges.Range r = ranges.at(i);
            if (r == null || r.start() >= end) {
                return;
            }
            long from = Math.max(offset, r.start());
            long to = Math.min(end - 1, r.end()) + 1;
            boolean unchanged = data == null
                    ? BelowContent.readsAsZero(next, to - from, from)
                    : BelowContent.matches(next, data.slice(data.position() + (int) (from - offset), (int) (to - from)), from);
            if (!unchanged) {
                throw new NbdException(NbdError.EPERM, "protect: write refused: it would change the protected range " + r.source());
            }
        }
    }
}
