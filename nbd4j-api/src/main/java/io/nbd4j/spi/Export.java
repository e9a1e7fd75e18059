package io.nbd4j.spi;

/**
 * An export as listed to clients by {@code NBD_OPT_LIST}.
 *
 * @param name               the export name (at most 4096 bytes of UTF-8)
 * @param description        a human readable description, or {@code null}
 * @param defaultPlaceholder true for the entry {@link #defaultExport()} makes, whose name is not known yet
 */
public record Export(String name, String description, boolean defaultPlaceholder) {
    public Export(String name, String description) {
        this(name, description, false);
    }

    public Export(String name) {
        this(name, null, false);
    }

    /**
     * An entry standing for the default export, whatever its name (nbdkit's
     * {@code nbdkit_use_default_export}). The server puts in its place the name the layer's
     * {@code defaultExport} gives, asked at most once per connection and shared with the open of the
     * empty name, or leaves it out when there is no default export.
     */
    public static Export defaultExport() {
        return new Export("", null, true);
    }
}
