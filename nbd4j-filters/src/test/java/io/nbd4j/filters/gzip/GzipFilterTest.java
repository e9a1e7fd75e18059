package io.nbd4j.filters.gzip;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Images;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GzipFilterTest {
    @TempDir
    Path tmp;

    static byte[] gzip(byte[]... members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] member : members) {
            try (GZIPOutputStream gz = new GZIPOutputStream(out) {
                @Override
                public void close() throws IOException {
                    finish();
                }
            }) {
                gz.write(member);
            }
        }
        return out.toByteArray();
    }

    private ServedStack serve(byte[] file) throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(file.length).fill(0, file);
        return ServedStack.of(disk, new GzipFilter(tmp)).start();
    }

    @Test
    void servesTheDecompressedImageReadOnly() throws Exception {
        byte[] image = Images.mixed(300_000, 1, 50_000, 100_000);
        try (ServedStack served = serve(gzip(image)); NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(image.length);
            assertThat(client.isReadOnly()).isTrue();
            assertThat(client.canMultiConn()).isTrue();
            assertThat(client.pread(0, image.length)).isEqualTo(image);
            assertThat(client.pread(123_457, 10)).isEqualTo(java.util.Arrays.copyOfRange(image, 123_457, 123_467));
        }
    }

    @Test
    void wholeBlocksOfZeroesAreHolesAndTheRestData() throws Exception {
        byte[] image = Images.mixed(64 * 1024, 2, 8192, 16384, 60_000, 5536);
        try (ServedStack served = serve(gzip(image)); NbdClient client = served.connect()) {
            List<Extent> extents = client.blockStatusAsync(image.length, 0, 0).get();
            assertThat(extents).extracting(Extent::offset, Extent::length, Extent::flags).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0L, 8192L, 0L),
                    org.assertj.core.groups.Tuple.tuple(8192L, 16384L, 3L),
                    org.assertj.core.groups.Tuple.tuple(24576L, 36864L, 0L),
                    org.assertj.core.groups.Tuple.tuple(61440L, 4096L, 3L));
        }
    }

    @Test
    void concatenatedMembersReadAsOneImage() throws Exception {
        byte[] first = Images.mixed(10_000, 3);
        byte[] second = Images.mixed(7_000, 4);
        try (ServedStack served = serve(gzip(first, second)); NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(17_000);
            assertThat(client.pread(10_000, 7_000)).isEqualTo(second);
        }
    }

    @Test
    void theFileIsDecompressedOnceForEveryConnectionAndItsTemporaryFileIsHidden() throws Exception {
        byte[] file = gzip(Images.mixed(200_000, 5));
        ScriptedPlugin disk = new ScriptedPlugin(file.length).fill(0, file);
        try (ServedStack served = ServedStack.of(disk, new GzipFilter(tmp)).start()) {
            try (NbdClient first = served.connect()) {
                first.pread(0, 1000);
            }
            long readOnce = Images.bytesRead(disk);
            assertThat(readOnce).isBetween((long) file.length, 2L * file.length);
            try (NbdClient second = served.connect()) {
                second.pread(100_000, 1000);
            }
            assertThat(Images.bytesRead(disk)).isEqualTo(readOnce);
            try (var listing = Files.list(tmp)) {
                assertThat(listing).isEmpty();
            }
        }
    }

    @Test
    void somethingThatIsNotGzipFailsTheConnection() throws Exception {
        try (ServedStack served = serve("this is not gzip".getBytes())) {
            assertThatThrownBy(served::connect).isInstanceOf(IOException.class);
        }
    }
}
