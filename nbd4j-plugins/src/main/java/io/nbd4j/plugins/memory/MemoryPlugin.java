package io.nbd4j.plugins.memory;

import io.nbd4j.plugins.common.SizedPlugin;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.util.List;
import java.util.Map;

/**
 * {@code memory}: a RAM disk shared by every client, initially all zeroes, stored in a sparse
 * {@link PageTable}. Configured from the main thread; the table is created in {@link #getReady} and
 * its handles serve requests from any number of threads.
 */
public final class MemoryPlugin extends SizedPlugin {
    /** Shared with the data plugin, which stores its image the same way. */
    public static final Parameter ALLOCATOR = new Parameter("allocator", "sparse|malloc",
            "Accepted for nbdkit compatibility; both values use the sparse off-heap page table");

    private final SharedPageTable shared = new SharedPageTable();

    public MemoryPlugin() {
        super("Virtual size of the disk (required; e.g. 1G, up to 2^63-1)");
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "RAM disk, sparse and shared by every client";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(sizeParameter(), ALLOCATOR);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (ALLOCATOR.matches(key)) {
            parseAllocator(value);
        } else {
            super.config(key, value);
        }
    }

    /** nbdkit's allocator=zstd and malloc's mlock option have no counterpart here; say so instead of ignoring them. */
    public static void parseAllocator(String value) throws ConfigException {
        String kind = value.contains(",") ? value.substring(0, value.indexOf(',')) : value;
        Values.parseChoice(ALLOCATOR.key(), kind, "sparse", "malloc");
        if (!kind.equals(value)) {
            throw new ConfigException("allocator: options after the allocator name ('" + value
                    + "') are not supported; use allocator=sparse or allocator=malloc");
        }
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public void getReady(ThreadModel effective) {
        PageTable.prepareInBackground();
        shared.serve(new PageTable());
    }

    @Override
    public Handle open(OpenRequest request) {
        return shared.open(size());
    }

    @Override
    public void unload() {
        shared.release();
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("allocator", "sparse", "page_size", Integer.toString(AnonymousMemory.pageSize()));
    }

    /** The shared page table, for tests that count allocated pages. */
    PageTable table() {
        return shared.table();
    }
}
