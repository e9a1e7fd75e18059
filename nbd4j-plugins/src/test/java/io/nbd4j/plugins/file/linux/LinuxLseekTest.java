package io.nbd4j.plugins.file.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LinuxLseekTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void queriesFindDataAndHolesAndAQueryPastTheLastDataFailsWithEnxio() throws Exception {
        assumeTrue(Linux.isAvailable(), "no native calls here");
        Path p = tmp.resolve("sparse.img");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(4 * MIB);
            f.seek(MIB);
            f.write(new byte[] {1});
        }
        int fd = Linux.open(p.toString(), Linux.O_RDONLY | Linux.O_CLOEXEC);
        try {
            long data = Linux.lseek(fd, 0, Linux.SEEK_DATA);
            assumeTrue(data > 0, "this file system reports no holes");
            assertThat(data).isLessThanOrEqualTo(MIB);
            assertThat(Linux.lseek(fd, data, Linux.SEEK_HOLE)).isGreaterThan(MIB).isLessThanOrEqualTo(4 * MIB);
            assertThat(Linux.lseek(fd, 0, Linux.SEEK_END)).isEqualTo(4 * MIB);
            assertThatThrownBy(() -> Linux.lseek(fd, 3 * MIB, Linux.SEEK_DATA))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENXIO));
        } finally {
            Linux.close(fd);
        }
    }
}
