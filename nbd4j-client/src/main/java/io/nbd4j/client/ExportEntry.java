package io.nbd4j.client;

/** One export named by {@code NBD_OPT_LIST}; {@code description} is empty if the server sent none. */
public record ExportEntry(String name, String description) {}
