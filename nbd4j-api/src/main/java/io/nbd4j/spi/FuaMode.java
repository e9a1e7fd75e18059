package io.nbd4j.spi;

/** How a layer honours Forced Unit Access on writes, trims and zeroes. */
public enum FuaMode {
    /** FUA is not advertised to the client. */
    NONE,
    /** FUA is advertised; the server performs the operation without the flag and then a {@code flush}. */
    EMULATE,
    /** The {@link Flags#FUA} flag is passed down; the layer makes the data durable before returning. */
    NATIVE
}
