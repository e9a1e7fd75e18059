package io.nbd4j.client;

/** A metadata context as the server named it, with the id it assigned (meaningful only after SET). */
public record MetaContext(int id, String name) {}
