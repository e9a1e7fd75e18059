package io.nbd4j.spi;

/**
 * The layer below a filter, for one connection. It is a {@link Handle} whose capability answers the
 * server has cached, so a filter may ask them as often as it likes.
 */
public interface Next extends Handle {}
