package io.nbd4j.filters.blocksizepolicy;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

/**
 * The blocksize-policy filter's configuration, and the block size it advertises from it.
 *
 * @param minimum         {@code blocksize-minimum=}, 0 when not given
 * @param preferred       {@code blocksize-preferred=}, 0 when not given
 * @param maximum         {@code blocksize-maximum=}, 0 when not given
 * @param writeDisconnect {@code blocksize-write-disconnect=}, 0 when not given
 * @param refuse          {@code blocksize-error-policy=error}: refuse requests that break the block size
 */
record Policy(long minimum, long preferred, long maximum, long writeDisconnect, boolean refuse) {
    static final long UINT32_MAX = 0xffff_ffffL;
    private static final long DEFAULT_PREFERRED = 4096;

    /**
     * The block size to advertise over a layer below that advertises {@code below} (null for none): the
     * configured values where given, the layer's otherwise; defaults where the layer has none.
     *
     * @throws NbdException (EINVAL) if the mix is no valid block size
     */
    BlockSize advertised(BlockSize below) throws NbdException {
        if (minimum == 0 && preferred == 0 && maximum == 0) {
            return below;
        }
        long min;
        long pref;
        long max;
        if (below == null) {
            min = minimum != 0 ? minimum : 1;
            pref = preferred != 0 ? preferred : DEFAULT_PREFERRED;
            max = maximum != 0 ? maximum : writeDisconnect != 0 ? writeDisconnect - writeDisconnect % min : UINT32_MAX;
        } else {
            min = minimum != 0 ? minimum : below.minimum();
            pref = preferred != 0 ? preferred : below.preferred();
            max = maximum != 0 ? maximum : below.maximum();
        }
        try {
            return new BlockSize(min, pref, max);
        } catch (IllegalArgumentException e) {
            throw new NbdException(NbdError.EINVAL, "blocksize-policy: the block size made of minimum " + min
                    + ", preferred " + pref + " and maximum " + max + " is not valid: " + e.getMessage());
        }
    }
}
