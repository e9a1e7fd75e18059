package io.nbd4j.plugins.memory;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.util.List;
import java.util.Map;

/**
 * {@code memory}: a RAM disk shared by every client, initially all zeroes, stored in a sparse
 * {@link PageTable}. Configured from the main thread; the table is created in {@link #getReady} and
 * its handles serve requests from any number of threads.
 */
public final class MemoryPlugin implements Plugin {
    static final Parameter SIZE = new Parameter("size", "SIZE", "Virtual size of the disk (required; e.g. 1G, up to 2^63-1)");
    /** Shared with the data plugin, which stores its image the same way. */
    public static final Parameter ALLOCATOR = new Parameter("allocator", "sparse|malloc",
            "Accepted for nbdkit compatibility; both values use the sparse off-heap page table");

    private long size = -1;
    private PageTable table;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "RAM disk, sparse and shared by every client";
    }

    @Override
    public String magicConfigKey() {
        return SIZE.key();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(SIZE, ALLOCATOR);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "size" -> size = Values.parseSize(key, value);
            case "allocator" -> parseAllocator(value);
            default -> Plugin.super.config(key, value);
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
    public void configComplete() throws ConfigException {
        if (size < 0) {
            throw new ConfigException("memory: the size parameter is required (e.g. memory 1G or size=1G)");
        }
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public void getReady(ThreadModel effective) {
        table = new PageTable();
    }

    @Override
    public Handle open(OpenRequest request) {
        return new PageTableHandle(table, size);
    }

    @Override
    public void unload() {
        if (table != null) {
            table.close();
            table = null;
        }
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("allocator", "sparse", "page_size", Integer.toString(AnonymousMemory.pageSize()));
    }

    /** The shared page table, for tests that count allocated pages. */
    PageTable table() {
        return table;
    }
}
