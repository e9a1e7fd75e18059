package io.nbd4j.filters.partition;

/**
 * Where a partition lies on the disk, in bytes.
 *
 * @param offset its first byte
 * @param length how many bytes it has
 */
record Partition(long offset, long length) {}
