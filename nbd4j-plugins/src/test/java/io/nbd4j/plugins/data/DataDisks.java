package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

import java.nio.ByteBuffer;
import java.util.Map;

/** Builds data plugins and evaluates expressions, for the tests of this package. */
final class DataDisks {
    private DataDisks() {}

    /** A configured, ready plugin with no environment; {@code keyValues} alternate key and value. */
    static DataPlugin plugin(String... keyValues) throws Exception {
        return plugin(Map.of(), keyValues);
    }

    /** As {@link #plugin(String...)}, with {@code environment} as the process environment. */
    static DataPlugin plugin(Map<String, String> environment, String... keyValues) throws Exception {
        DataPlugin plugin = new DataPlugin(environment::get, () -> false, line -> {});
        configure(plugin, keyValues);
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin;
    }

    private static void configure(DataPlugin plugin, String... keyValues) throws ConfigException {
        for (int i = 0; i < keyValues.length; i += 2) {
            plugin.config(keyValues[i], keyValues[i + 1]);
        }
        plugin.configComplete();
    }

    static Handle open(DataPlugin plugin) {
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    /** The whole disk served for {@code data=text}. */
    static byte[] contentOf(String text) throws Exception {
        return contentOf(Map.of(), "data", text);
    }

    /** The whole disk served for these parameters, with {@code environment} as the process environment. */
    static byte[] contentOf(Map<String, String> environment, String... keyValues) throws Exception {
        DataPlugin plugin = plugin(environment, keyValues);
        try {
            Handle h = open(plugin);
            ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(h.size()));
            h.pread(all, 0, 0);
            return all.array();
        } finally {
            plugin.unload();
        }
    }

    /** The size of the disk {@code data=text} describes, without loading it. */
    static long sizeOf(String text) throws Exception {
        return evaluate(text).size();
    }

    /** Parses, optimises and evaluates {@code text}, with no variables. */
    static Evaluator.Result evaluate(String text) throws ConfigException {
        return new Evaluator(new ExternalBytes()).evaluate(Optimiser.optimise(new ExprParser(name -> null).parse(text)));
    }

    static byte[] b(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
