package io.nbd4j.plugins.file;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nbd4j.plugins.file.linux.Linux;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static io.nbd4j.plugins.file.Requests.directFilled;
import static io.nbd4j.plugins.file.Requests.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DiskFileTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    private Path sparseFile(long size) throws Exception {
        Path p = tmp.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    @Test
    void withoutNativeCallsEverythingIsDataTrimDoesNothingAndZeroAsksForTheFallback() throws Exception {
        Path p = sparseFile(4 * MIB);
        try (DiskFile f = DiskFile.openPortable(p, true)) {
            assertThat(f.canExtents()).isFalse();
            assertThat(f.canFastZero()).isFalse();
            f.write(ByteBuffer.wrap(filled(MIB, 8)), MIB);
            RecordingExtents e = new RecordingExtents();
            f.extents(0, 4 * MIB, false, e);
            assertThat(e.all()).containsExactly(new RecordingExtents.Extent(0, 4 * MIB, Extents.DATA));
            f.trim(MIB, MIB);
            ByteBuffer back = ByteBuffer.allocate(MIB);
            f.read(back, MIB);
            assertThat(back.array()).isEqualTo(filled(MIB, 8));
            assertThatThrownBy(() -> f.zero(MIB, MIB, true, false))
                    .isInstanceOfSatisfying(NbdException.class, x -> assertThat(x.error()).isEqualTo(NbdError.ENOTSUP));
            f.sync();
            assertThat(f.size()).isEqualTo(4 * MIB);
        }
    }

    /** Whether {@code count} pages from {@code first} are all in the page cache ({@code mincore}, without touching them). */
    private static boolean inPageCache(FileChannel ch, int first, int count) throws Exception {
        return ch.map(FileChannel.MapMode.READ_ONLY, first * 4096L, count * 4096L).isLoaded();
    }

    @Test
    void aViewOfSeveralPagesBringsOnlyItsOwnPagesIntoThePageCache() throws Exception {
        int pages = 64;
        byte[] data = new byte[pages * 4096];
        new Random(3).nextBytes(data);
        Path p = tmp.resolve("disk.img");
        Files.write(p, data);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
            int fd = Linux.open(p.toString(), Linux.O_RDONLY | Linux.O_CLOEXEC);
            try {
                Linux.fadvise(fd, 0, 0, Linux.POSIX_FADV_DONTNEED);
            } finally {
                Linux.close(fd);
            }
            assumeTrue(!inPageCache(ch, 0, pages), "the file system keeps the file's pages in memory");
            try (DiskFile f = DiskFile.open(p, false)) {
                ByteBuffer view = f.view(8 * 4096, 4 * 4096);
                byte[] got = new byte[4 * 4096];
                view.get(got);
                assertThat(got).isEqualTo(Arrays.copyOfRange(data, 8 * 4096, 12 * 4096));
            }
            // touching a page the cache lacked would have read the whole small file around it
            assertThat(inPageCache(ch, 8, 4)).isTrue();
            for (int page : new int[] {0, 7, 12, 63}) {
                assertThat(inPageCache(ch, page, 1)).as("page %d", page).isFalse();
            }
        }
    }

    @Test
    void anInterruptedRequestDoesNotBreakTheSharedFileForOthers() throws Exception {
        Path p = sparseFile(MIB);
        try (DiskFile f = DiskFile.open(p, true)) {
            f.write(ByteBuffer.wrap(filled(100, 5)), 0);
            // FileChannel closes itself when a thread blocked in it is interrupted.
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> f.read(ByteBuffer.allocate(100), 0))
                        .isInstanceOfSatisfying(NbdException.class, x -> assertThat(x.error()).isEqualTo(NbdError.ESHUTDOWN));
            } finally {
                Thread.interrupted();
            }
            ByteBuffer back = ByteBuffer.allocate(100);
            f.read(back, 0);
            assertThat(back.array()).isEqualTo(filled(100, 5));
            f.write(ByteBuffer.wrap(filled(1, 6)), 0);
            f.sync();
        }
    }

    @Test
    void directBuffersGoThroughNativePreadAndPwriteAndLandAtTheirOffsets() throws Exception {
        Path p = sparseFile(MIB);
        try (DiskFile f = DiskFile.open(p, true)) {
            ByteBuffer out = directFilled(8192, 3);
            out.position(4096);  // only what remains from the position is written
            f.write(out, 100_000);
            assertThat(out.hasRemaining()).isFalse();
            ByteBuffer in = ByteBuffer.allocateDirect(4096 + 2);
            f.read(in, 100_000 - 1);
            assertThat(in.hasRemaining()).isFalse();
            byte[] got = new byte[in.capacity()];
            in.flip().get(got);
            assertThat(got[0]).isZero();
            assertThat(got[1]).isEqualTo((byte) 3);
            assertThat(got[4096]).isEqualTo((byte) 3);
            assertThat(got[4097]).isZero();
        }
        try (RandomAccessFile raw = new RandomAccessFile(p.toFile(), "r")) {
            raw.seek(100_000 + 4095);
            assertThat(raw.read()).isEqualTo(3);
            assertThat(raw.read()).isZero();
        }
    }

    @Test
    void aDirectReadPastTheEndIsAnIoErrorAndNoNativeIoFollowsClose() throws Exception {
        Path p = sparseFile(1000);
        DiskFile f = DiskFile.open(p, true);
        try (f) {
            assertThatThrownBy(() -> f.read(ByteBuffer.allocateDirect(4096), 0))
                    .isInstanceOfSatisfying(NbdException.class, x -> assertThat(x.error()).isEqualTo(NbdError.EIO));
        }
        assertThatThrownBy(() -> f.read(ByteBuffer.allocateDirect(10), 0))
                .isInstanceOfSatisfying(NbdException.class, x -> assertThat(x.error()).isEqualTo(NbdError.ESHUTDOWN));
        assertThatThrownBy(() -> f.write(ByteBuffer.allocateDirect(10), 0))
                .isInstanceOfSatisfying(NbdException.class, x -> assertThat(x.error()).isEqualTo(NbdError.ESHUTDOWN));
    }

    @Test
    void readingPastTheEndOfATruncatedFileIsAnIoError() throws Exception {
        Path p = sparseFile(MIB);
        try (DiskFile f = DiskFile.open(p, true)) {
            try (RandomAccessFile shrink = new RandomAccessFile(p.toFile(), "rw")) {
                shrink.setLength(1000);
            }
            assertThatThrownBy(() -> f.read(ByteBuffer.allocate(4096), 0))
                    .isInstanceOfSatisfying(NbdException.class, x -> assertThat(x.error()).isEqualTo(NbdError.EIO));
        }
    }

    @Test
    void extentsOfAFileWithDataBeyondTheRequestStopAtTheRequest() throws Exception {
        Path p = sparseFile(4 * MIB);
        try (DiskFile f = DiskFile.open(p, true)) {
            f.write(ByteBuffer.wrap(filled(4 * MIB, 1)), 0);
            RecordingExtents e = new RecordingExtents();
            f.extents(MIB, MIB, false, e);
            assertThat(e.all()).isNotEmpty();
            assertThat(e.all().getFirst().offset()).isEqualTo(MIB);
            assertThat(e.typeAt(MIB)).isEqualTo(Extents.DATA);
        }
    }

    @Test
    void channelErrorsKeepTheirMeaningForTheClient() throws Exception {
        try (DiskFile f = DiskFile.open(sparseFile(4096), true)) {
            assertThat(f.translate("write", new java.io.IOException("No space left on device")).error()).isEqualTo(NbdError.ENOSPC);
            assertThat(f.translate("write", new java.io.IOException("Disk quota exceeded")).error()).isEqualTo(NbdError.ENOSPC);
            assertThat(f.translate("write", new java.io.IOException("Read-only file system")).error()).isEqualTo(NbdError.EPERM);
            assertThat(f.translate("read", new java.io.IOException("Input/output error")).error()).isEqualTo(NbdError.EIO);
        }
    }

    private static byte[] viewBytes(DiskFile f, long offset, int length) {
        ByteBuffer view = f.view(offset, length);
        assertThat(view).as("a view at %d length %d", offset, length).isNotNull();
        byte[] b = new byte[length];
        view.get(b);
        return b;
    }

    @Test
    void aWriteThroughTheFileOrByAnotherProcessIsSeenByTheNextView() throws Exception {
        Path p = sparseFile(4 * MIB);
        try (DiskFile f = DiskFile.open(p, true)) {
            assertThat(viewBytes(f, MIB, 4096)).isEqualTo(new byte[4096]);
            f.write(directFilled(4096, 7), MIB);
            assertThat(viewBytes(f, MIB, 4096)).isEqualTo(filled(4096, 7));
            Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + p, "bs=4096", "seek=256", "count=1",
                    "conv=notrunc").redirectErrorStream(true).start();
            dd.getInputStream().readAllBytes();
            assertThat(dd.waitFor()).isZero();
            assertThat(viewBytes(f, MIB, 4096)).isEqualTo(new byte[4096]);
        }
    }

    @Test
    void aTrimmedRangeReadsAsZeroesInTheNextView() throws Exception {
        Path p = sparseFile(4 * MIB);
        try (DiskFile f = DiskFile.open(p, true)) {
            f.write(directFilled(MIB, 9), MIB);
            assertThat(viewBytes(f, MIB, MIB)).isEqualTo(filled(MIB, 9));
            f.trim(MIB, MIB);
            assertThat(viewBytes(f, MIB, MIB)).isEqualTo(new byte[MIB]);
        }
    }

    @Test
    void bytesBeyondTheSizeSeenAtOpenAreNotOfferedAsAView() throws Exception {
        Path p = sparseFile(MIB);
        try (DiskFile f = DiskFile.open(p, true)) {
            f.write(directFilled(4096, 4), MIB);
            assertThat(f.size()).isEqualTo(MIB + 4096);
            assertThat(f.view(MIB, 4096)).isNull();
            assertThat(f.view(MIB - 4096, 8192)).isNull();
            assertThat(viewBytes(f, MIB - 4096, 4096)).isEqualTo(new byte[4096]);
        }
    }

    @Test
    void aViewStaysReadableUntilTheLastConnectionSharingTheFileReleasesIt() throws Exception {
        Path p = sparseFile(MIB);
        SharedDiskFiles shared = new SharedDiskFiles();
        DiskFile first = shared.acquire(() -> DiskFile.open(p, true));
        DiskFile second = shared.acquire(() -> DiskFile.open(p, true));
        first.write(directFilled(4096, 3), 8192);
        ByteBuffer view = first.view(8192, 4096);
        shared.release(second);
        byte[] b = new byte[4096];
        view.duplicate().get(b);
        assertThat(b).isEqualTo(filled(4096, 3));
        shared.release(first);
        assertThat(first.view(8192, 4096)).isNull();
    }

    @Test
    void aCallTheFileSystemLacksIsRememberedAndAnotherFastPathTakesOver() throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(shm)
                && java.nio.file.Files.getFileStore(shm).type().equals("tmpfs"), "needs tmpfs at /dev/shm");
        Path dir = java.nio.file.Files.createTempDirectory(shm, "nbd4j-file-test-");
        Path p = dir.resolve("disk.img");
        try {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(4 * MIB);
            }
            try (DiskFile f = DiskFile.open(p, true)) {
                f.write(ByteBuffer.wrap(filled(4 * MIB, 3)), 0);
                // tmpfs punches holes but has no FALLOC_FL_ZERO_RANGE.
                f.zero(MIB, MIB, false, true);
                assertThat(f.capabilities()).contains("zero_range=no").contains("punch_hole=yes");
                assertThat(f.canFastZero()).isTrue();
                f.zero(2 * MIB, MIB, false, true);
                ByteBuffer back = ByteBuffer.allocate(3 * MIB);
                f.read(back, 0);
                assertThat(Arrays.copyOfRange(back.array(), 0, MIB)).isEqualTo(filled(MIB, 3));
                assertThat(Arrays.copyOfRange(back.array(), MIB, 3 * MIB)).isEqualTo(new byte[2 * MIB]);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(p);
            java.nio.file.Files.delete(dir);
        }
    }
}
