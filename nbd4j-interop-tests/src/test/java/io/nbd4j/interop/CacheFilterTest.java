package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The cache filter over the file plugin, driven by {@code nbdsh}, as nbdkit's cache tests drive it. */
class CacheFilterTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path image(long size) throws IOException {
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(size);
        }
        return image;
    }

    /**
     * A 64 KiB read caches its whole 128 KiB block, so after the file changes below, the rest of that block
     * still reads as it was, and the next block shows the change. (A large read must reach the filter even
     * where the plugin reports a hole.)
     */
    @ServerTest
    void aReadKeepsItsWholeCacheBlockWhileTheFileChangesBelow(Server server) throws IOException {
        Path image = image(256 * 1024);
        try (ServerProcess s = ServerProcess.start(server, dir, "--filter=cache", "file", image.toString(),
                "cache-min-block-size=128K", "cache-on-read=true")) {
            String out = Clients.nbdsh(s.uri(),
                    "first = h.pread(65536, 0)",
                    "with open('" + image + "', 'r+b') as f:\n    f.seek(65536)\n    f.write(b'abcd' * 32768)",
                    "print(first == bytes(65536), h.pread(65536, 65536) == bytes(65536),"
                            + " h.pread(65536, 131072) == b'abcd' * 16384)");

            assertThat(out.strip()).isEqualTo("True True True");
        }
    }

    /** With cache-max-size=10M the cache file holds little more than 10M after 50M went through it. */
    @ServerTest
    void aSizeLimitedCacheFileStaysWithinItsLimit(Server server) throws IOException {
        Path image = image(64 * MIB);
        Path cacheDir = Files.createDirectory(dir.resolve("cache"));
        try (ServerProcess s = ServerProcess.start(server, dir, Map.of("TMPDIR", cacheDir.toString()),
                "--filter=cache", "file", image.toString(), "cache-max-size=10M", "cache-on-read=true")) {
            Clients.qemuIo("-f", "raw", s.uri(), "-c", "w -P 1 0 10M", "-c", "w -P 2 20M 10M",
                    "-c", "r 20M 10M", "-c", "r 30M 10M", "-c", "w -P 3 40M 10M");

            assertThat(allocatedBytes(cacheFileOf(s.pid(), cacheDir))).isLessThanOrEqualTo(11 * MIB);
        }
    }

    /** Unflushed writes that do not fit a 1M cache are written back, not dropped (nbdkit 1.32 drops them). */
    @Test
    void aSizeLimitedCacheLosesNoUnflushedWrite() throws IOException {
        assumeTrue(Server.nbd4jSelected());
        Path image = image(8 * MIB);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--filter=cache", "file", image.toString(),
                "cache-max-size=1M")) {
            String out = Clients.nbdsh(s.uri(),
                    "for i in range(64): h.pwrite(bytes([i + 1]) * 65536, i * 65536)",
                    "print(sum(h.pread(65536, i * 65536) != bytes([i + 1]) * 65536 for i in range(64)))",
                    "h.flush()");

            assertThat(out.strip()).as("blocks that read back wrong").isEqualTo("0");
        }
        byte[] bytes = Files.readAllBytes(image);
        for (int i = 0; i < 64; i++) {
            assertThat(bytes[i * 65536 + 65535]).as("block %d in the file", i).isEqualTo((byte) (i + 1));
        }
    }

    /** The cache file: unlinked, so found among the server's open files by the directory it was made in. */
    private static Path cacheFileOf(long pid, Path cacheDir) throws IOException {
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> open = Files.list(fds)) {
            List<Path> matches = open.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(cacheDir.toRealPath() + "/");
                } catch (IOException gone) {
                    return false;
                }
            }).toList();
            assertThat(matches).as("open files of %d in %s", pid, cacheDir).hasSize(1);
            return matches.getFirst();
        }
    }

    private static long allocatedBytes(Path file) {
        String[] blocksAndUnit = Commands.runOk(List.of("stat", "-L", "-c", "%b %B", file.toString()))
                .stdout().strip().split(" ");
        return Long.parseLong(blocksAndUnit[0]) * Long.parseLong(blocksAndUnit[1]);
    }
}
