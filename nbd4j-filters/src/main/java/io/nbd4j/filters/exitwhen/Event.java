package io.nbd4j.filters.exitwhen;

/**
 * Something whose happening makes the server exit: one {@code exit-when-*} parameter. Checked again
 * and again; once it has happened the filter does not ask again.
 */
interface Event extends AutoCloseable {
    /** Whether it has happened by now. A failure to tell is logged and counts as not yet. */
    boolean happened();

    /** What it is, for messages: {@code exit-when-file-created=/tmp/stop}. */
    String describe();

    /** Lets go of what watching it took (a descriptor). */
    @Override
    default void close() {}
}
