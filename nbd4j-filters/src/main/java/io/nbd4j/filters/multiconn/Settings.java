package io.nbd4j.filters.multiconn;

/**
 * The filter's configuration, fixed once the server serves.
 *
 * @param mode          {@code multi-conn-mode}
 * @param tracking      {@code multi-conn-track-dirty}
 * @param byExportName  {@code multi-conn-exportname}: one group per export name instead of one for all
 * @param flushOnClose  {@code multi-conn-flush-on-close}: flush a connection with unflushed writes as it ends
 */
record Settings(Mode mode, DirtyTracking tracking, boolean byExportName, boolean flushOnClose) {
    static final Settings DEFAULTS = new Settings(Mode.AUTO, DirtyTracking.CONNECTION, false, false);
}
