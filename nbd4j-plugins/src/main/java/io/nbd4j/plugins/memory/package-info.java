/**
 * The {@code memory} plugin: a RAM disk shared by every client and lost when the server stops.
 *
 * <p>Parameters: {@code [size=]SIZE} (required, the magic key; up to 2^63-1 bytes, with nbdkit's
 * suffixes such as {@code 1G}); {@code allocator=sparse[,hugepages=true]|malloc[,mlock=true]} (default
 * {@code sparse}): {@code sparse} is the page table below; {@code malloc} maps the whole disk as one anonymous mapping
 * that the kernel must promise in full at start (so a disk larger than memory fails at once), with no
 * sparseness (extents report all data, trim and zero write zeroes), and {@code mlock=true} also locks
 * it into RAM ({@code ulimit -l} must allow it). nbdkit's {@code allocator=zstd} is refused: it is not
 * implemented (it would need a native zstd library in the core jar).
 *
 *
 * <p>Beyond nbdkit: {@code allocator=sparse,hugepages=true} makes the page table's unit the kernel's
 * transparent huge page (2 MiB on x86-64): regions are aligned to it and marked {@code MADV_HUGEPAGE},
 * so filling an empty disk costs one fault per 2 MiB. Sparseness is coarser to match: a write commits,
 * a trim releases, and extents report whole 2 MiB units. Refused at start without transparent huge
 * pages ({@code /sys/kernel/mm/transparent_hugepage/enabled} missing or {@code never}).
 *
 * <p>Behaviour (sparse): reads of never-written areas return zeroes without using memory; writes commit memory
 * one kernel page at a time; trim and zero release whole pages back to the kernel and zero-fill the
 * ends; extents report written pages as data and the rest as holes that read as zeroes. Thread model
 * PARALLEL, multi-conn, native FUA, flush and cache are no-ops, fast zero is supported.
 *
 * <p>Storage: {@link io.nbd4j.plugins.memory.PageTable}, a sorted directory of 64 MiB regions, each an
 * anonymous {@code MAP_NORESERVE} mapping with one allocation bit per page; pages are released with
 * {@code madvise(MADV_DONTNEED)}, so the mapping stays valid and readers and writers need no locks.
 * The data plugin stores its image in the same table. Linux only.
 */
package io.nbd4j.plugins.memory;
