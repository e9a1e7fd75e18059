package io.nbd4j.filters.tar;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Images;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarFilterTest {
    private static final String LONG_NAME = "some/very/long/directory/name/".repeat(5) + "disk.img";
    private static final byte[] DISK = Images.mixed(3 * 4096 + 100, 1);
    private static final byte[] OTHER = Images.mixed(5000, 2);

    /** An archive of a small file, a directory, and the disk under a name too long for the old tar header. */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            add(tar, "other.txt", OTHER);
            tar.putArchiveEntry(new TarArchiveEntry("dir/"));
            tar.closeArchiveEntry();
            add(tar, LONG_NAME, DISK);
        }
        return out.toByteArray();
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void servesTheEntryAndWritesLandInsideTheArchive() throws Exception {
        byte[] file = archive();
        ScriptedPlugin disk = new ScriptedPlugin(file.length).fill(0, file);
        int at = indexOf(file, DISK);
        try (ServedStack served = ServedStack.of(disk, new TarFilter()).config("tar-entry=" + LONG_NAME).start();
             NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(DISK.length);
            assertThat(client.pread(0, DISK.length)).isEqualTo(DISK);
            client.pwrite("hello".getBytes(), 4096);
        }
        assertThat(disk.read(at + 4096, 5)).isEqualTo("hello".getBytes());
        assertThat(disk.read(0, 100)).isEqualTo(Arrays.copyOf(file, 100));
    }

    @Test
    void extentsAreMovedToTheEntryAndCutAtItsEnd() throws Exception {
        byte[] file = archive();
        ScriptedPlugin disk = new ScriptedPlugin(file.length + 64 * 1024).canExtents(true).fill(0, file);
        try (ServedStack served = ServedStack.of(disk, new TarFilter()).config("tar-entry=other.txt").start();
             NbdClient client = served.connect()) {
            List<Extent> extents = client.blockStatusAsync(5000, 0, 0).get();
            assertThat(extents.getFirst().offset()).isZero();
            assertThat(extents.stream().mapToLong(Extent::length).sum()).isEqualTo(5000);
        }
    }

    @Test
    void aMissingEntryOrADirectoryFailsTheConnection() throws Exception {
        byte[] file = archive();
        for (String entry : List.of("missing", "dir/", "disk.img")) {
            try (ServedStack served = ServedStack.of(new ScriptedPlugin(file.length).fill(0, file), new TarFilter())
                    .config("tar-entry=" + entry).start()) {
                assertThatThrownBy(served::connect).as(entry).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void theLimitStopsTheSearchButNotAnEntryFoundBeforeIt() throws Exception {
        byte[] file = archive();
        try (ServedStack served = ServedStack.of(new ScriptedPlugin(file.length).fill(0, file), new TarFilter())
                .config("tar-entry=" + LONG_NAME, "tar-limit=1K").start()) {
            assertThatThrownBy(served::connect).isInstanceOf(IOException.class);
        }
        try (ServedStack served = ServedStack.of(new ScriptedPlugin(file.length).fill(0, file), new TarFilter())
                .config("tar-entry=other.txt", "tar-limit=1K").start();
             NbdClient client = served.connect()) {
            assertThat(client.pread(0, OTHER.length)).isEqualTo(OTHER);
        }
    }

    @Test
    void theEntryIsRequired() {
        assertThatThrownBy(() -> Layers.configured(new TarFilter())).isInstanceOf(ConfigException.class).hasMessageContaining("tar-entry");
    }
}
