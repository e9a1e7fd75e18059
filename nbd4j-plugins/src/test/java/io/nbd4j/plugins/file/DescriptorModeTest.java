package io.nbd4j.plugins.file;

import io.nbd4j.plugins.file.linux.Linux;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.nbd4j.plugins.file.FilePluginTest.configured;
import static io.nbd4j.plugins.file.Requests.filled;
import static io.nbd4j.plugins.file.Requests.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** fd= and dirfd=: descriptors a parent process opened, here opened by the test itself. */
class DescriptorModeTest {
    @TempDir
    Path tmp;
    private final List<Integer> descriptors = new ArrayList<>();

    @BeforeEach
    void needsNativeCalls() {
        assumeTrue(Linux.isAvailable(), "fd= and dirfd= need the Linux bindings");
    }

    @AfterEach
    void closeDescriptors() throws Exception {
        for (int d : descriptors) {
            Linux.close(d);
        }
    }

    private int descriptor(Path p, int flags) throws Exception {
        int d = Linux.open(p.toString(), flags);
        descriptors.add(d);
        return d;
    }

    @Test
    void fdServesTheFileOpenOnTheDescriptor() throws Exception {
        Path disk = Files.write(tmp.resolve("disk.img"), new byte[8192]);
        int d = descriptor(disk, Linux.O_RDWR);
        Files.move(disk, tmp.resolve("renamed.img"));   // the descriptor, not the name, is what is served
        FilePlugin plugin = configured("fd=" + d);
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(8192);
            assertThat(h.canWrite()).isTrue();
            h.pwrite(ByteBuffer.wrap(filled(100, 7)), 50, 0);
        }
        assertThat(Files.readAllBytes(tmp.resolve("renamed.img"))[50]).isEqualTo((byte) 7);
    }

    @Test
    void fdOpenedReadOnlyIsServedReadOnly() throws Exception {
        Path disk = Files.write(tmp.resolve("disk.img"), new byte[8192]);
        FilePlugin plugin = configured("fd=" + descriptor(disk, Linux.O_RDONLY));
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.canWrite()).isFalse();
            assertThatThrownBy(() -> h.pwrite(ByteBuffer.wrap(filled(1, 1)), 0, 0))
                    .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
        }
    }

    @Test
    void dirfdServesTheDirectoryOpenOnTheDescriptorWithTheSameRefusals() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("exports"));
        Files.writeString(dir.resolve("one.img"), "one");
        Files.writeString(tmp.resolve("secret"), "secret");
        Files.createSymbolicLink(dir.resolve("escape"), tmp.resolve("secret"));
        FilePlugin plugin = configured("dirfd=" + descriptor(dir, Linux.O_RDONLY | Linux.O_DIRECTORY));
        assertThat(plugin.listExports(false, false)).containsExactly(new Export("one.img"));
        try (Handle h = plugin.open(open("one.img"))) {
            assertThat(h.size()).isEqualTo(3);
        }
        assertThatThrownBy(() -> plugin.open(open("escape"))).isInstanceOf(NbdException.class);
        assertThatThrownBy(() -> plugin.open(open("../secret"))).isInstanceOf(NbdException.class);
    }

    @Test
    void badDescriptorsAreConfigErrorsNamingTheParameter() throws Exception {
        Path disk = Files.write(tmp.resolve("disk.img"), new byte[512]);
        int fileFd = descriptor(disk, Linux.O_RDONLY);
        int dirFd = descriptor(tmp, Linux.O_RDONLY | Linux.O_DIRECTORY);
        assertThatThrownBy(() -> configured("fd=three")).isInstanceOf(ConfigException.class).hasMessageContaining("fd=three");
        assertThatThrownBy(() -> configured("fd=-1")).isInstanceOf(ConfigException.class).hasMessageContaining("fd=-1");
        assertThatThrownBy(() -> configured("fd=99999")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fd=99999").hasMessageContaining("not an open file descriptor");
        assertThatThrownBy(() -> configured("fd=" + dirFd)).isInstanceOf(ConfigException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> configured("dirfd=" + fileFd)).isInstanceOf(ConfigException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> configured("fd=" + fileFd, "file=" + disk)).isInstanceOf(ConfigException.class).hasMessageContaining("exactly one");
    }
}
