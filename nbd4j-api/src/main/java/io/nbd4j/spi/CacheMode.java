package io.nbd4j.spi;

/** How a layer answers {@code NBD_CMD_CACHE}. */
public enum CacheMode {
    /** Cache requests are not advertised and are refused with {@code EINVAL}. */
    NONE,
    /** The server reads the range and discards the data, warming whatever caches lie below. */
    EMULATE,
    /** {@link Handle#cache} is called. */
    NATIVE
}
