package io.nbd4j.client;

import java.util.Optional;

/**
 * What the server said about an export in reply to {@code NBD_OPT_INFO}/{@code NBD_OPT_GO} (or, with less
 * detail, {@code NBD_OPT_EXPORT_NAME}). Immutable.
 *
 * @param name              the export's canonical name if the server sent {@code NBD_INFO_NAME}, else the
 *                          name the client asked for
 * @param transmissionFlags the 16-bit {@code NBD_FLAG_*} set ({@link io.nbd4j.protocol.TransmissionFlags})
 * @param blockSizes        present if the server sent {@code NBD_INFO_BLOCK_SIZE}
 */
public record ExportInfo(String name, Optional<String> description, long size, int transmissionFlags,
                         Optional<BlockSizes> blockSizes) {

    public boolean hasFlag(int transmissionFlag) {
        return (transmissionFlags & transmissionFlag) != 0;
    }
}
