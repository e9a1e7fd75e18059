package io.nbd4j.plugins.memory;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

/**
 * How the memory plugin stores its disk, from {@code allocator=NAME[,OPTION=VALUE…]} as nbdkit
 * writes it: {@code sparse} (the page table, with nbd4j's option {@code hugepages=true}) or
 * {@code malloc} (one contiguous allocation, with the option {@code mlock=true}). Immutable.
 *
 * @param contiguous {@code malloc}
 * @param locked     {@code mlock=true}: the allocation is locked into RAM
 * @param hugePages  {@code sparse,hugepages=true}: the page table allocates transparent huge pages
 */
record Allocator(boolean contiguous, boolean locked, boolean hugePages) {
    static final Allocator SPARSE = new Allocator(false, false, false);

    static Allocator parse(String key, String value) throws ConfigException {
        String[] parts = value.split(",", -1);
        String kind = parts[0].strip();
        if (kind.equalsIgnoreCase("zstd")) {
            throw new ConfigException(key + ": zstd is not available in nbd4j (no compressed page store is built in); "
                    + "use allocator=sparse, which costs memory only for what is written, or allocator=malloc");
        }
        boolean contiguous = Values.parseChoice(key, kind, "sparse", "malloc").equals("malloc");
        String accepted = contiguous ? "mlock" : "hugepages";
        boolean on = false;
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i];
            int eq = option.indexOf('=');
            String name = eq < 0 ? option : option.substring(0, eq);
            if (!name.strip().equals(accepted) || eq < 0) {
                throw new ConfigException(key + ": unknown option '" + option + "' for allocator " + kind
                        + " (malloc takes mlock=true|false, sparse takes hugepages=true|false)");
            }
            on = Values.parseBool(key, option.substring(eq + 1));
        }
        return new Allocator(contiguous, contiguous && on, !contiguous && on);
    }
}
