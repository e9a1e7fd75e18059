package io.nbd4j.plugins.partitioning;

/**
 * A stretch of the virtual disk: a partition's file, bytes the plugin made (a partition table, an EBR),
 * or padding that reads as zeroes.
 *
 * @param start where it starts on the virtual disk
 * @param end   where it ends, exclusive
 * @param file  for a file region the index of its file, else -1
 * @param data  for a table region its bytes (exactly {@code end - start} of them), else null
 */
record Region(long start, long end, int file, byte[] data) {
    static Region file(long start, long length, int index) {
        return new Region(start, start + length, index, null);
    }

    static Region data(long start, byte[] bytes) {
        return new Region(start, start + bytes.length, -1, bytes);
    }

    static Region padding(long start, long end) {
        return new Region(start, end, -1, null);
    }

    boolean isFile() {
        return file >= 0;
    }

    boolean isData() {
        return data != null;
    }

    long length() {
        return end - start;
    }
}
