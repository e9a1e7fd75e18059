package io.nbd4j.plugins.sh;

import java.nio.file.Path;

/**
 * Which executable answers a method: the sh plugin's one script for every method, or the eval plugin's
 * snippet for that method (its {@code missing} script when there is none). Must be safe to call from
 * any thread once configuration is over.
 */
@FunctionalInterface
public interface ScriptLocator {
    Path scriptFor(String method);
}
