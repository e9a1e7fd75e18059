package io.nbd4j.plugins.file.linux;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each call reaches its own system call with its arguments in place, and a failure carries that call's errno. */
class LinuxCallsTest {
    /** Bad file descriptor (the plugins never act on it, so Errno does not list it). */
    private static final int EBADF = 9;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsNativeCalls() {
        assumeTrue(Linux.isAvailable(), "no native calls here");
    }

    /** A file of {@code size} zero bytes in the test's directory. */
    private Path zeroedDisk(int size) throws Exception {
        Path p = tmp.resolve("disk.img");
        Files.write(p, new byte[size]);
        return p;
    }

    @Test
    void pwriteThenPreadRoundTripAtAnOffsetAndStatxSeesTheSize() throws Exception {
        Path p = zeroedDisk(8192);
        int fd = Linux.open(p.toString(), Linux.O_RDWR | Linux.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(100);
            for (int i = 0; i < 100; i++) {
                out.set(ValueLayout.JAVA_BYTE, i, (byte) (i + 1));
            }
            assertThat(Linux.pwrite(fd, out, 5000)).isEqualTo(100);
            MemorySegment in = arena.allocate(100);
            assertThat(Linux.pread(fd, in, 5000)).isEqualTo(100);
            assertThat(in.mismatch(out)).isEqualTo(-1);
            assertThat(Linux.pread(fd, in, 8192)).as("at the end of the file").isZero();
            Linux.Stat stat = Linux.fstat(fd);
            assertThat(stat.isRegularFile()).isTrue();
            assertThat(stat.size()).isEqualTo(8192);
            assertThat(Linux.accessMode(fd)).isEqualTo(Linux.O_RDWR);
        } finally {
            Linux.close(fd);
        }
        byte[] bytes = Files.readAllBytes(p);
        assertThat(bytes[4999]).isZero();
        assertThat(bytes[5000]).isEqualTo((byte) 1);
        assertThat(bytes[5099]).isEqualTo((byte) 100);
    }

    @Test
    void failuresCarryTheErrnoOfTheirOwnCall() throws Exception {
        assertThatThrownBy(() -> Linux.open(tmp.resolve("missing").toString(), Linux.O_RDONLY))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessageContaining("open " + tmp.resolve("missing"));
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, tmp.resolve("missing"));
        int dir = Linux.open(tmp.toString(), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC);
        try {
            assertThatThrownBy(() -> Linux.openat(dir, "link", Linux.O_RDONLY | Linux.O_NOFOLLOW))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELOOP));
        } finally {
            Linux.close(dir);
        }
        assertThatThrownBy(() -> Linux.close(-1))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(EBADF));
        Path p = zeroedDisk(4096);
        int fd = Linux.open(p.toString(), Linux.O_RDONLY | Linux.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> Linux.pwrite(fd, arena.allocate(16), 0)).as("a read-only descriptor")
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(EBADF))
                    .hasMessageContaining("pwrite");
            assertThatThrownBy(() -> Linux.fadvise(fd, 0, 0, 99))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            assertThatThrownBy(() -> Linux.fallocate(fd, 0, 0, 4096)).as("fallocate on a read-only descriptor")
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(EBADF));
            Linux.fadvise(fd, 0, 4096, Linux.POSIX_FADV_WILLNEED);
        } finally {
            Linux.close(fd);
        }
    }

    @Test
    void memoryOnTheJavaHeapOrOfAClosedArenaIsRefusedBeforeAnyCall() throws Exception {
        Path p = zeroedDisk(4096);
        int fd = Linux.open(p.toString(), Linux.O_RDWR | Linux.O_CLOEXEC);
        try {
            assertThatThrownBy(() -> Linux.pwrite(fd, MemorySegment.ofArray(new byte[16]), 0))
                    .isInstanceOf(IllegalArgumentException.class);
            Arena closed = Arena.ofShared();
            MemorySegment gone = closed.allocate(16);
            closed.close();
            assertThatThrownBy(() -> Linux.pread(fd, gone, 0)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Linux.pwrite(fd, gone, 0)).isInstanceOf(IllegalStateException.class);
        } finally {
            Linux.close(fd);
        }
    }

    @Test
    void aSecondWholeFileLockOnAnotherOpenFileIsRefused() throws Exception {
        Path p = zeroedDisk(4096);
        int first = Linux.open(p.toString(), Linux.O_RDWR | Linux.O_CLOEXEC);
        int second = Linux.open(p.toString(), Linux.O_RDWR | Linux.O_CLOEXEC);
        try {
            assertThat(Linux.tryLockWholeFile(first, true)).isTrue();
            assertThat(Linux.tryLockWholeFile(second, false)).isFalse();
        } finally {
            Linux.close(first);
            Linux.close(second);
        }
    }
}
