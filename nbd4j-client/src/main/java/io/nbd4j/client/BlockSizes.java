package io.nbd4j.client;

/** The size constraints of {@code NBD_INFO_BLOCK_SIZE}, in bytes. Immutable. */
public record BlockSizes(long minimum, long preferred, long maximum) {}
