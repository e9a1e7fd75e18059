package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qemu-nbd answers reads of unallocated ranges with OFFSET_HOLE chunks (nbdkit 1.32 never does), so it
 * shows that holes zero the caller's buffer around the data chunks.
 */
class SparseReadTest {

    @Test
    void holesInAStructuredReadZeroTheCallersBufferAroundTheData(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("sparse.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(1 << 20);
            file.seek(65536);
            file.write("hello".getBytes());
        }
        try (ExternalServer server = ExternalServer.qemuNbd(image);
             NbdClient client = server.connect()) {
            ByteBuffer target = ByteBuffer.allocate(1 << 20);
            Arrays.fill(target.array(), (byte) 0xff);

            client.pread(target, 0);

            byte[] expected = new byte[1 << 20];
            System.arraycopy("hello".getBytes(), 0, expected, 65536, 5);
            assertThat(target.array()).isEqualTo(expected);
            List<Extent> extents = client.blockStatus(1 << 20, 0, 0);
            assertThat(extents.getFirst().isHole()).isTrue();
        }
    }
}
