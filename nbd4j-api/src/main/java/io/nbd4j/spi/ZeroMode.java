package io.nbd4j.spi;

/**
 * How a layer answers {@code NBD_CMD_WRITE_ZEROES} (nbdkit's {@code can_zero} answers
 * {@code NBDKIT_ZERO_NONE}, {@code _EMULATE} and {@code _NATIVE}).
 */
public enum ZeroMode {
    /** Write zeroes is not advertised to the client (nor fast zero), and a call is refused with {@code EINVAL}. */
    NONE,
    /**
     * Write zeroes is advertised; the server never calls {@link Handle#zero} on the layer but writes
     * buffers of zeroes with its {@link Handle#pwrite}. A {@link Flags#FAST_ZERO} request fails at once
     * with {@code ENOTSUP}, since writing is never faster than writing.
     */
    EMULATE,
    /** {@link Handle#zero} is called; if it throws {@code ENOTSUP} (without FAST_ZERO) the server writes zeroes instead. */
    NATIVE
}
