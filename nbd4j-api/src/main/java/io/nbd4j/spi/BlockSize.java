package io.nbd4j.spi;

/**
 * Block size constraints a layer asks clients to respect ({@code NBD_INFO_BLOCK_SIZE}).
 *
 * @param minimum   a power of two from 1 to 65536
 * @param preferred a power of two from 512 to 32 MiB, at least {@code minimum}
 * @param maximum   a multiple of {@code minimum}, at least {@code preferred}, or {@code 0xffffffff} for no limit
 */
public record BlockSize(long minimum, long preferred, long maximum) {
    public static final long NO_MAXIMUM = 0xffff_ffffL;

    public BlockSize {
        if (minimum < 1 || minimum > 65536 || Long.bitCount(minimum) != 1) {
            throw new IllegalArgumentException("block size minimum must be a power of 2 from 1 to 65536: " + minimum);
        }
        if (preferred < 512 || preferred > 32L << 20 || Long.bitCount(preferred) != 1 || preferred < minimum) {
            throw new IllegalArgumentException("block size preferred must be a power of 2 from 512 to 32M, at least the minimum: " + preferred);
        }
        if (maximum != NO_MAXIMUM && (maximum % minimum != 0 || maximum < preferred || maximum > NO_MAXIMUM)) {
            throw new IllegalArgumentException("block size maximum must be a multiple of the minimum, at least the preferred: " + maximum);
        }
    }
}
