package io.nbd4j.spi;

/**
 * How much concurrency a plugin or filter tolerates, from the strictest to the loosest. The server
 * runs with the strictest model declared by the plugin and every filter, and enforces it: a layer
 * never sees more concurrency than it declared.
 */
public enum ThreadModel {
    /** One client connection at a time; a second client waits until the first disconnects. */
    SERIALIZE_CONNECTIONS,
    /** Many connections, but one request at a time across all of them. */
    SERIALIZE_ALL_REQUESTS,
    /** Connections run in parallel, but each one runs its requests one at a time. */
    SERIALIZE_REQUESTS,
    /** Requests run concurrently, even on the same connection. */
    PARALLEL;

    /** The stricter of the two models. */
    public ThreadModel min(ThreadModel other) {
        return ordinal() <= other.ordinal() ? this : other;
    }

    /** The model's name as nbdkit spells it, e.g. {@code serialize_all_requests}. */
    public String nbdkitName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
