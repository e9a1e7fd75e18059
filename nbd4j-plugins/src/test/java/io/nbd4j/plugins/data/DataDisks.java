package io.nbd4j.plugins.data;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

import java.nio.ByteBuffer;

/** Builds a data plugin from parameters and reads its whole disk, for the tests of this package. */
final class DataDisks {
    private DataDisks() {}

    /** A configured, ready plugin; {@code keyValues} alternate key and value. */
    static DataPlugin plugin(String... keyValues) throws Exception {
        DataPlugin plugin = new DataPlugin();
        for (int i = 0; i < keyValues.length; i += 2) {
            plugin.config(keyValues[i], keyValues[i + 1]);
        }
        plugin.configComplete();
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin;
    }

    static Handle open(DataPlugin plugin) {
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    /** The whole disk served for {@code data=text}. */
    static byte[] contentOf(String text) throws Exception {
        DataPlugin plugin = plugin("data", text);
        try {
            Handle h = open(plugin);
            ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(h.size()));
            h.pread(all, 0, 0);
            return all.array();
        } finally {
            plugin.unload();
        }
    }
}
