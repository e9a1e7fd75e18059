package io.nbd4j.filters.tar;

import io.nbd4j.filters.common.LayerChannel;
import io.nbd4j.filters.common.LayerReader;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.IOException;

/**
 * Where an entry's bytes lie in a tar archive: a contiguous range of the archive, since a regular,
 * non-sparse entry is stored in one piece after its headers. Found with Apache Commons Compress,
 * which reads the archive's headers (of every format tar writes: ustar, GNU long names, pax) and
 * skips entries' data without reading it. Immutable.
 *
 * @param offset where the entry's first byte is in the archive
 * @param size   the entry's length
 */
record EntryLocation(long offset, long size) {
    /**
     * Finds {@code name} (exactly as stored) in the archive that {@code below} holds, reading no
     * further than {@code limit} bytes into it.
     *
     * @throws NbdException ({@code EINVAL}) if no such entry is found or it is not a
     *                      regular file stored in one piece, ({@code EIO}) if the archive is malformed
     */
    static EntryLocation find(Handle below, String name, long limit) throws IOException {
        TarArchiveEntry found = null;
        try (TarFile archive = new TarFile(new LayerChannel(new LayerReader(below), limit))) {
            for (TarArchiveEntry entry : archive.getEntries()) {
                if (entry.getName().equals(name)) {
                    found = entry;
                }
            }
        } catch (NbdException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new NbdException(NbdError.EIO, "tar: cannot read the tar file: " + e.getMessage(), e);
        }
        if (found == null) {
            throw new NbdException(NbdError.EINVAL, "tar: tar-entry=" + name + " is not in the tar file"
                    + (limit < Long.MAX_VALUE ? " (within its first " + limit + " bytes, tar-limit)" : ""));
        }
        if (!found.isFile() || found.isSparse() || found.isLink() || found.isSymbolicLink()) {
            throw new NbdException(NbdError.EINVAL, "tar: tar-entry=" + name + " is not a regular file stored in one piece");
        }
        if (found.getDataOffset() + found.getSize() > below.size()) {
            throw new NbdException(NbdError.EIO, "tar: the tar file is truncated inside tar-entry=" + name);
        }
        return new EntryLocation(found.getDataOffset(), found.getSize());
    }
}
