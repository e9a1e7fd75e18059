package io.nbd4j.plugins.tmpdisk;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.nbd4j.plugins.file.Requests.filled;
import static io.nbd4j.plugins.file.Requests.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TmpDiskPluginTest {
    @TempDir
    Path base;

    private TmpDiskPlugin configured(String... keyValues) throws ConfigException {
        TmpDiskPlugin plugin = new TmpDiskPlugin(base);
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            plugin.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        plugin.configComplete();
        return plugin;
    }

    private static byte[] read(Handle h, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    /** Descriptors this process holds on files under {@code base}. */
    private List<String> openDescriptorsUnderBase() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(base.toString())) {
                        targets.add(target);
                    }
                } catch (IOException e) {
                    // The descriptor of the listing itself is gone by now.
                }
            }
        }
        return targets;
    }

    @Test
    void eachConnectionGetsItsOwnEmptyDisk() throws Exception {
        TmpDiskPlugin plugin = configured("size=1M", "command=truncate -s \"$size\" \"$disk\"");
        try (Handle first = plugin.open(open("")); Handle second = plugin.open(open(""))) {
            assertThat(first.size()).isEqualTo(1 << 20);
            assertThat(second.size()).isEqualTo(1 << 20);
            assertThat(first.canMultiConn()).isFalse();
            first.pwrite(ByteBuffer.wrap(filled(4096, 0x11)), 0, 0);
            assertThat(read(first, 0, 4096)).isEqualTo(filled(4096, 0x11));
            assertThat(read(second, 0, 4096)).isEqualTo(new byte[4096]);
        }
        try (Handle third = plugin.open(open(""))) {
            assertThat(read(third, 0, 4096)).isEqualTo(new byte[4096]);
        }
    }

    @Test
    void withoutCommandEachClientGetsAFreshExt4FileSystem() throws Exception {
        TmpDiskPlugin plugin = configured("size=8M", "label=scratch");
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(8 << 20);
            byte[] superblock = read(h, 1024, 1024);
            assertThat(superblock[56] & 0xFF).isEqualTo(0x53);
            assertThat(superblock[57] & 0xFF).isEqualTo(0xEF);
            assertThat(new String(superblock, 120, 7, StandardCharsets.US_ASCII)).isEqualTo("scratch");
        }
    }

    @Test
    void typeChoosesTheFileSystem() throws Exception {
        TmpDiskPlugin plugin = configured("size=8M", "type=vfat", "label=SCRATCH");
        try (Handle h = plugin.open(open(""))) {
            byte[] boot = read(h, 0, 512);
            assertThat(boot[510] & 0xFF).isEqualTo(0x55);
            assertThat(new String(boot, 0, 512, StandardCharsets.US_ASCII)).contains("SCRATCH").contains("FAT");
        }
    }

    @Test
    void diskLeavesNoNameBehindAndIsReleasedOnClose() throws Exception {
        TmpDiskPlugin plugin = configured("size=1M", "command=truncate -s \"$size\" \"$disk\"");
        Handle h = plugin.open(open(""));
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left).isEmpty();
        }
        // The native descriptor and the channel: both on the one unlinked file.
        assertThat(openDescriptorsUnderBase()).isNotEmpty().allMatch(target -> target.endsWith("/disk (deleted)"));
        h.close();
        assertThat(openDescriptorsUnderBase()).isEmpty();
    }

    @Test
    void commandCreatesTheDiskWithSizeAndExtraVariables() throws Exception {
        TmpDiskPlugin plugin = configured("size=64K", "greeting=hello world",
                "command=printf '%s' \"$greeting\" > \"$disk\" && truncate -s \"$size\" \"$disk\"");
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(65536);
            assertThat(new String(read(h, 0, 11), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }
    }

    @Test
    void servedSizeIsWhateverTheCommandCreated() throws Exception {
        TmpDiskPlugin plugin = configured("size=0", "command=truncate -s 12345 \"$disk\"");
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(12345);
        }
    }

    @Test
    void failingCommandRefusesTheConnectionWithItsOutputAndCleansUp() throws Exception {
        TmpDiskPlugin plugin = configured("size=1M", "command=echo 'mkfs exploded' >&2; exit 3");
        assertThatThrownBy(() -> plugin.open(open("")))
                .isInstanceOf(NbdException.class)
                .hasMessageContaining("exit status 3")
                .hasMessageContaining("mkfs exploded");
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void commandThatCreatesNoDiskIsRefused() throws Exception {
        TmpDiskPlugin plugin = configured("size=1M", "command=true");
        assertThatThrownBy(() -> plugin.open(open(""))).isInstanceOf(NbdException.class).hasMessageContaining("$disk");
    }

    @Test
    void badParametersAreConfigErrorsNamingTheParameter() {
        assertThatThrownBy(() -> configured()).isInstanceOf(ConfigException.class).hasMessageContaining("size=");
        assertThatThrownBy(() -> configured("size=lots")).isInstanceOf(ConfigException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> configured("size=1G", "command=true", "bad-name=1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad-name");
        assertThatThrownBy(() -> configured("size=1G", "disk=/x")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("disk=");
    }
}
