package io.nbd4j.plugins.partitioning;

import java.nio.file.Path;

/**
 * One {@code file=} of the partitioning plugin with the settings in force when it was named.
 *
 * @param path       the file
 * @param size       its size in bytes when the server started (the layout is fixed then)
 * @param alignment  where its partition may start: a multiple of this many bytes
 * @param mbrType    the MBR partition type byte
 * @param typeGuid   the GPT partition type GUID, in on-disk byte order
 * @param uniqueGuid the GPT unique partition GUID, random, in on-disk byte order
 */
record PartitionFile(Path path, long size, long alignment, int mbrType, byte[] typeGuid, byte[] uniqueGuid) {}
