package io.nbd4j.plugins.memory;

import io.nbd4j.plugins.common.SizedPlugin;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ServerControl;
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
    /** The data plugin's {@code allocator=}, accepted for nbdkit's command lines (see {@link #parseAllocator}). */
    public static final Parameter ALLOCATOR = new Parameter("allocator", "sparse|malloc",
            "Accepted for nbdkit compatibility; both values use the sparse off-heap page table");

    private static final Parameter MEMORY_ALLOCATOR = new Parameter("allocator",
            "sparse|sparse,hugepages=true|malloc|malloc,mlock=true",
            "how the disk is stored: sparse pages that cost memory only once written (default); with "
                    + "hugepages=true in transparent huge pages (faster first writes, but memory is used, "
                    + "trimmed and reported in 2 MiB units); or one allocation of the whole size, locked "
                    + "into RAM with mlock=true");

    private final SharedPageTable shared = new SharedPageTable();
    private Allocator allocator = Allocator.SPARSE;
    private ContiguousMemory contiguous;

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
        return List.of(sizeParameter(), MEMORY_ALLOCATOR);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (MEMORY_ALLOCATOR.matches(key)) {
            allocator = Allocator.parse(key, value);
        } else {
            super.config(key, value);
        }
    }

    /**
     * The data plugin's {@code allocator=}: its image always lives in a page table, so both names are
     * accepted and nbdkit's zstd and malloc's mlock option are refused instead of being ignored.
     */
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
    public void getReady(ThreadModel effective) throws ConfigException {
        if (allocator.contiguous()) {
            contiguous = ContiguousMemory.allocate(size(), allocator.locked());
        } else {
            shared.serve(new PageTable(allocator.hugePages() ? hugePageSize() : 0));
        }
    }

    private static long hugePageSize() throws ConfigException {
        long size = AnonymousMemory.transparentHugePageSize();
        if (size <= 0 || size > PageTable.REGION_BYTES) {
            throw new ConfigException("memory: allocator=sparse,hugepages=true needs transparent huge pages, which this "
                    + "kernel does not offer (/sys/kernel/mm/transparent_hugepage/enabled is missing or says never)");
        }
        return size;
    }

    /**
     * Once the server listens, not while it starts: binding the native calls competes for the CPU with
     * the start itself (on two cores, a captive start's CPU time grew by about 40 ms when it ran during
     * configuration), while between listening and the first write there is time to spare (a client
     * connects and negotiates first). A captive run skips it ({@link io.nbd4j.spi.WarmUp#skipFurtherTasks}).
     */
    @Override
    public void afterStart(ServerControl server) {
        if (!allocator.contiguous()) {
            PageTable.prepareInBackground(allocator.hugePages());
        }
    }

    @Override
    public Handle open(OpenRequest request) {
        return contiguous != null ? new ContiguousHandle(contiguous, size()) : shared.open(size());
    }

    @Override
    public void unload() {
        shared.release();
        if (contiguous != null) {
            contiguous.close();
            contiguous = null;
        }
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("allocator", allocator.contiguous() ? "malloc" : "sparse", "mlock", "yes",
                "page_size", Integer.toString(AnonymousMemory.pageSize()),
                "hugepages", Boolean.toString(allocator.hugePages()));
    }

    /** The shared page table, for tests that count allocated pages. */
    PageTable table() {
        return shared.table();
    }
}
