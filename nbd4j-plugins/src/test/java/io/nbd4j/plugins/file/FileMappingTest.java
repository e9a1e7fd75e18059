package io.nbd4j.plugins.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.nbd4j.plugins.file.Requests.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileMappingTest {
    private static final int WINDOW = 64 << 10;

    @TempDir
    Path tmp;

    private Path randomFile(int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path p = tmp.resolve("data.img");
        Files.write(p, data);
        return p;
    }

    private static FileMapping mapping(FileChannel ch, long limit) {
        return new FileMapping("test", (start, length, arena) -> ch.map(FileChannel.MapMode.READ_ONLY, start, length, arena),
                (slice, offset) -> { }, limit, WINDOW);
    }

    private static byte[] bytes(ByteBuffer view) {
        byte[] b = new byte[view.remaining()];
        view.duplicate().get(b);
        return b;
    }

    private static byte[] pread(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
            // positional reads until the buffer is full
        }
        return b.array();
    }

    @Test
    void viewsHoldPreadsBytesAtRandomRangesAndRangesAcrossWindowsOrPastTheEndAreDeclined() throws Exception {
        int size = 3 * WINDOW + 5000;  // the last window is short and ends inside a page
        Path p = randomFile(size, 1);
        Random random = new Random(2);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ); FileMapping m = mapping(ch, size)) {
            int offered = 0;
            for (int i = 0; i < 2000; i++) {
                long offset = random.nextInt(size);
                int length = 1 + random.nextInt(i % 4 == 0 ? 2 * WINDOW : 9000);
                ByteBuffer view = m.view(offset, length);
                boolean inOneWindow = offset / WINDOW == (offset + length - 1) / WINDOW;
                if (offset + length > size || !inOneWindow) {
                    assertThat(view).as("view at %d length %d", offset, length).isNull();
                    continue;
                }
                assertThat(view).as("view at %d length %d", offset, length).isNotNull();
                assertThat(view.position()).isZero();
                assertThat(view.limit()).isEqualTo(length);
                assertThat(view.isReadOnly()).isTrue();
                assertThat(bytes(view)).isEqualTo(pread(ch, offset, length));
                offered++;
            }
            assertThat(offered).isGreaterThan(1000);
            // the edges: the last byte of a window, a whole window, the file's last bytes, one past them
            assertThat(bytes(m.view(WINDOW - 1, 1))).isEqualTo(pread(ch, WINDOW - 1, 1));
            assertThat(bytes(m.view(WINDOW, WINDOW))).isEqualTo(pread(ch, WINDOW, WINDOW));
            assertThat(bytes(m.view(size - 5000, 5000))).isEqualTo(pread(ch, size - 5000, 5000));
            assertThat(m.view(size - 5000, 5001)).isNull();
            assertThat(m.view(WINDOW - 1, 2)).isNull();
        }
    }

    @Test
    void aFileThatCannotBeMappedIsReadWithPreadFromThenOn() {
        int[] calls = {0};
        FileMapping m = new FileMapping("test", (start, length, arena) -> {
            calls[0]++;
            throw new IOException("no mapping here");
        }, (slice, offset) -> { }, WINDOW, WINDOW);
        assertThat(m.view(0, 4096)).isNull();
        assertThat(m.view(4096, 4096)).isNull();
        assertThat(calls[0]).isEqualTo(1);
        m.close();
    }

    @Test
    void aViewOfPagesTheFileNoLongerHasFailsToSendAsAnIoErrorAndToReadAsAnInternalError() throws Exception {
        int size = 4 * 4096;
        Path p = randomFile(size, 4);
        Path socketPath = tmp.resolve("s.sock");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ); FileMapping m = mapping(ch, size);
             ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ByteBuffer view = m.view(2 * 4096, 4096);
            try (FileChannel w = FileChannel.open(p, StandardOpenOption.WRITE)) {
                w.truncate(4096);
            }
            server.bind(UnixDomainSocketAddress.of(socketPath));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
                 SocketChannel accepted = server.accept()) {
                // the kernel refuses to copy from a page past the end (EFAULT) instead of sending anything else
                assertThatThrownBy(() -> accepted.write(view.duplicate())).isInstanceOf(IOException.class);
                assertThat(client.isOpen()).isTrue();
            }
            // Java code touching the page (the TLS engine does) gets an error the JVM raises, not a crash
            assertThatThrownBy(() -> bytes(view)).isInstanceOf(InternalError.class);
            assertThat(m.view(0, 4096)).isNotNull();
        }
    }

    @Test
    void aRangeAShrinkRemovedIsNoLongerOfferedSoItsReadGoesToPread() throws Exception {
        int size = 8 * 4096;
        Path p = randomFile(size, 6);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ); FileMapping m = mapping(ch, size)) {
            assertThat(m.view(6 * 4096, 4096)).isNotNull();
            try (FileChannel w = FileChannel.open(p, StandardOpenOption.WRITE)) {
                w.truncate(3 * 4096);
            }
            assertThat(m.view(6 * 4096, 4096)).isNull();
            // a range whose first pages remain but whose last is gone
            assertThat(m.view(2 * 4096, 2 * 4096)).isNull();
            assertThat(bytes(m.view(4096, 2 * 4096))).isEqualTo(pread(ch, 4096, 2 * 4096));
        }
    }

    @Test
    void theLoaderIsAskedOnceForEachChunkAViewOfSeveralPagesCoveredWholeAndNeverForOnePage() throws Exception {
        int chunk = FileMapping.CHUNK;
        int size = 4 * chunk;
        Path p = randomFile(size, 8);
        List<String> asked = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
             FileMapping m = new FileMapping("test", (start, length, arena) -> ch.map(FileChannel.MapMode.READ_ONLY,
                     start, length, arena), (slice, offset) -> asked.add(offset + "+" + slice.byteSize()), size, size)) {
            assertThat(bytes(m.view(0, 2 * chunk))).isEqualTo(pread(ch, 0, 2 * chunk));
            m.view(0, 2 * chunk);
            m.view(chunk / 2, 2 * 4096);
            assertThat(asked).containsExactly("0+" + 2 * chunk);
            // chunk 2 only in part: not noted, so asked each time
            m.view(2 * chunk + 100, 3 * 4096);
            m.view(2 * chunk + 100, 3 * 4096);
            m.view(3 * chunk + 5, 4096);
            assertThat(asked).hasSize(3).endsWith("" + (2 * chunk + 100) + "+" + 3 * 4096);
        }
    }

    @Test
    void aWriteByAnotherOpenFileIsSeenByTheNextViewOfTheSameRange() throws Exception {
        int size = 2 * WINDOW;
        Path p = randomFile(size, 5);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ); FileMapping m = mapping(ch, size);
             FileChannel other = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ByteBuffer before = m.view(WINDOW + 100, 300);
            other.write(ByteBuffer.wrap(filled(300, 0x5a)), WINDOW + 100);
            assertThat(bytes(m.view(WINDOW + 100, 300))).isEqualTo(filled(300, 0x5a));
            assertThat(bytes(before)).isEqualTo(filled(300, 0x5a));
        }
    }
}
