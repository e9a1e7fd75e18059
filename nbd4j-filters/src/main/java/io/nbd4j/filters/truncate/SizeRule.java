package io.nbd4j.filters.truncate;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

/**
 * How the truncate filter turns the size of the layer below into the size it serves: first the
 * absolute size, if one was given, then rounding up, then rounding down, each applied to the result of
 * the one before, as nbdkit does.
 *
 * @param truncate  the absolute size, or -1 to keep the layer below's
 * @param roundUp   a power of 2 to round up to, or 0
 * @param roundDown a power of 2 to round down to, or 0
 */
record SizeRule(long truncate, long roundUp, long roundDown) {

    /** The size served over a layer of {@code real} bytes. */
    long apply(long real) throws NbdException {
        long size = truncate >= 0 ? truncate : real;
        if (roundUp > 0) {
            long rounded = (size + roundUp - 1) & -roundUp;
            if (rounded < size) {
                throw new NbdException(NbdError.EINVAL, "truncate: cannot round size " + size + " up to a multiple of " + roundUp);
            }
            size = rounded;
        }
        if (roundDown > 0) {
            size &= -roundDown;
        }
        return size;
    }

    /** Collects the parameters in any order; the last of each kind wins. Used on the main thread. */
    static final class Builder {
        private long truncate = -1;
        private long roundUp;
        private long roundDown;

        void truncate(long size) {
            truncate = size;
        }

        void roundUp(long n) {
            roundUp = n;
        }

        void roundDown(long n) {
            roundDown = n;
        }

        SizeRule build() {
            return new SizeRule(truncate, roundUp, roundDown);
        }
    }
}
