package io.nbd4j.filters.testkit;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Layer;

/** Configures one layer from {@code key=value} words, for tests of its parameters. Stateless. */
public final class Layers {
    private Layers() {}

    /** Gives each {@code key=value} to {@code layer.config}, then runs {@code configComplete}; returns the layer. */
    public static <T extends Layer> T configured(T layer, String... keyValues) throws ConfigException {
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: " + kv);
            }
            layer.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        layer.configComplete();
        return layer;
    }
}
