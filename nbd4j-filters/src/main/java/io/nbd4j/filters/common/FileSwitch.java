package io.nbd4j.filters.common;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * A setting that is a boolean or an absolute {@code /PATH}, on while that file exists, as the cache
 * filter's {@code cache-on-read} and the cow filter's {@code cow-on-read} are written: the user may
 * switch it while the server runs by creating or removing the file.
 *
 * <p>Stateless; the supplier it returns may be asked from any thread.
 */
public final class FileSwitch {
    private FileSwitch() {}

    /** The setting {@code value} of {@code key}, to be asked each time it matters. */
    public static BooleanSupplier parse(String key, String value) throws ConfigException {
        if (value.startsWith("/")) {
            Path path = Path.of(value);
            return () -> Files.exists(path);
        }
        boolean on = Values.parseBool(key, value);
        return () -> on;
    }
}
