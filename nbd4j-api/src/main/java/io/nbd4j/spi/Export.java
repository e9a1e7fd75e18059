package io.nbd4j.spi;

/**
 * An export as listed to clients by {@code NBD_OPT_LIST}.
 *
 * @param name        the export name (at most 4096 bytes of UTF-8)
 * @param description a human readable description, or {@code null}
 */
public record Export(String name, String description) {
    public Export(String name) {
        this(name, null);
    }
}
