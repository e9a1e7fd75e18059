package io.nbd4j.plugins.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SharedDiskFilesTest {
    @TempDir
    Path tmp;

    private Path file(String name) throws Exception {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        return p;
    }

    @Test
    void opensOfOneInodeWithTheSameAccessShareOneFileWhateverThePathUsed() throws Exception {
        Path disk = file("disk.img");
        Path link = Files.createLink(tmp.resolve("hard-link.img"), disk);
        SharedDiskFiles shared = new SharedDiskFiles();
        DiskFile first = shared.acquire(() -> DiskFile.open(disk, true));
        DiskFile second = shared.acquire(() -> DiskFile.open(link, true));
        assertThat(second).isSameAs(first);
        assertThat(shared.openCount()).isEqualTo(1);
        shared.release(second);
        shared.release(first);
        assertThat(shared.openCount()).isZero();
    }

    @Test
    void anotherInodeOrAnotherAccessModeGetsAFileOfItsOwn() throws Exception {
        Path disk = file("disk.img");
        Path other = file("other.img");
        SharedDiskFiles shared = new SharedDiskFiles();
        DiskFile writable = shared.acquire(() -> DiskFile.open(disk, true));
        DiskFile readOnly = shared.acquire(() -> DiskFile.open(disk, false));
        DiskFile otherFile = shared.acquire(() -> DiskFile.open(other, true));
        assertThat(readOnly).isNotSameAs(writable);
        assertThat(otherFile).isNotSameAs(writable).isNotSameAs(readOnly);
        assertThat(shared.openCount()).isEqualTo(3);
        shared.release(writable);
        shared.release(readOnly);
        shared.release(otherFile);
        assertThat(shared.openCount()).isZero();
    }

    @Test
    void identitiesAreEqualExactlyWhenDeviceInodeAndAccessAgree() {
        DiskFile.Identity id = new DiskFile.Identity(8, 1, 42, true);
        assertThat(id).isEqualTo(new DiskFile.Identity(8, 1, 42, true))
                .hasSameHashCodeAs(new DiskFile.Identity(8, 1, 42, true));
        assertThat(id).isNotEqualTo(new DiskFile.Identity(8, 1, 42, false))
                .isNotEqualTo(new DiskFile.Identity(8, 2, 42, true))
                .isNotEqualTo(new DiskFile.Identity(9, 1, 42, true))
                .isNotEqualTo(new DiskFile.Identity(8, 1, 43, true))
                .isNotEqualTo(null)
                .isNotEqualTo("8:1:42");
    }
}
