package io.nbd4j.plugins.common;

import io.nbd4j.spi.ConfigException;

import java.nio.file.Path;

/**
 * The {@code dir=DIRECTORY} parameter of plugins that serve an image of one directory (floppy,
 * linuxdisk): given once, made absolute at once so that a later change of working directory cannot
 * change its meaning. Stateless.
 */
public final class DirectoryParameter {
    private DirectoryParameter() {}

    /** The directory {@code value} names; a second {@code dir=} is an error. */
    public static Path once(String plugin, Path previous, String value) throws ConfigException {
        if (previous != null) {
            throw new ConfigException(plugin + ": dir= may be given only once");
        }
        return Path.of(value).toAbsolutePath();
    }
}
