package io.nbd4j.filters.luks;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The filter over LUKS disks made by qemu-img, checked against qemu-img's own decryption. */
class LuksFilterTest {
    private static final String SECRET = "123456";

    @TempDir
    Path dir;

    private static void run(String... command) throws Exception {
        String output = attempt(command);
        // qemu-img times PBKDF2 to choose its iterations, and fails when a busy machine makes the
        // measurement too coarse; that says nothing about the filter, so it is tried again.
        for (int retry = 0; output != null && output.contains("accurate CPU usage") && retry < 5; retry++) {
            output = attempt(command);
        }
        assertThat(output).as(String.join(" ", command)).isNull();
    }

    /** Runs {@code command}; returns null on success, else its output. */
    private static String attempt(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, command[0] + " is not installed");
            throw e;
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? null : output;
    }

    /** A fresh LUKS disk of {@code size} with qemu-img's cipher defaults, or the ones given. */
    private Path luksDisk(String size, String... options) throws Exception {
        Path disk = dir.resolve("disk-" + System.nanoTime() + ".img");
        List<String> command = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "luks",
                "--object", "secret,data=" + SECRET + ",id=sec0", "-o", "key-secret=sec0,iter-time=100"));
        for (String option : options) {
            command.add("-o");
            command.add(option);
        }
        command.add(disk.toString());
        command.add(size);
        run(command.toArray(String[]::new));
        return disk;
    }

    /** What qemu-img decrypts from {@code disk}. */
    private byte[] decryptedByQemu(Path disk) throws Exception {
        Path plain = dir.resolve("plain-" + System.nanoTime() + ".img");
        run("qemu-img", "convert", "--image-opts", "--object", "secret,data=" + SECRET + ",id=sec0",
                "driver=luks,file.filename=" + disk + ",key-secret=sec0", "-O", "raw", plain.toString());
        return Files.readAllBytes(plain);
    }

    private static Handle open(LuksFilter filter, FileNext below) throws IOException {
        Handle h = filter.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false), r -> below);
        h.prepare(false);
        return h;
    }

    private static LuksFilter filter(String passphrase) throws ConfigException {
        LuksFilter filter = new LuksFilter();
        filter.config("passphrase", passphrase);
        filter.configComplete();
        return filter;
    }

    private static byte[] read(Handle h, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    @Test
    void writesThroughTheFilterAreWhatQemuDecrypts() throws Exception {
        Path disk = luksDisk("1M");
        byte[] random = new byte[70_000];
        new Random(1).nextBytes(random);
        byte[] expected;
        try (FileNext below = new FileNext(disk)) {
            Handle h = open(filter(SECRET), below);
            assertThat(h.size()).isEqualTo(1 << 20);
            // qemu-img leaves the payload unwritten: both decrypt the same noise from it.
            expected = read(h, 0, 1 << 20);
            assertThat(expected).isEqualTo(decryptedByQemu(disk));
            h.pwrite(ByteBuffer.wrap(random), 1000, 0);
            h.pwrite(ByteBuffer.wrap(random, 0, 4096), 900 * 1024, 0);
            System.arraycopy(random, 0, expected, 1000, random.length);
            System.arraycopy(random, 0, expected, 900 * 1024, 4096);
            assertThat(read(h, 0, 1 << 20)).isEqualTo(expected);
        }
        assertThat(decryptedByQemu(disk)).isEqualTo(expected);
    }

    @Test
    void cbcWithEssivIsReadAndWrittenToo() throws Exception {
        Path disk = luksDisk("256K", "cipher-alg=aes-128", "cipher-mode=cbc", "ivgen-alg=essiv", "ivgen-hash-alg=sha256", "hash-alg=sha1");
        byte[] data = "the quick brown fox".getBytes();
        try (FileNext below = new FileNext(disk)) {
            open(filter(SECRET), below).pwrite(ByteBuffer.wrap(data), 5000, 0);
        }
        assertThat(Arrays.copyOfRange(decryptedByQemu(disk), 5000, 5000 + data.length)).isEqualTo(data);
    }

    @Test
    void partialWritesIntoOneSectorFromManyThreadsAllSurvive() throws Exception {
        Path disk = luksDisk("64K");
        try (FileNext below = new FileNext(disk)) {
            Handle h = open(filter(SECRET), below);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int at = i * 8;
                writes.add(CompletableFuture.runAsync(() -> {
                    try {
                        h.pwrite(ByteBuffer.wrap(new byte[] {(byte) (at / 8 + 1), 1, 2, 3, 4, 5, 6, 7}), at, 0);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            byte[] sector = read(h, 0, 512);
            for (int i = 0; i < 64; i++) {
                assertThat(sector[i * 8]).as("byte %d", i * 8).isEqualTo((byte) (i + 1));
            }
        }
    }

    @Test
    void aWrongPassphraseOpensNothing() throws Exception {
        Path disk = luksDisk("64K");
        try (FileNext below = new FileNext(disk)) {
            assertThatThrownBy(() -> open(filter("654321"), below)).isInstanceOfSatisfying(NbdException.class,
                    e -> assertThat(e.error()).isEqualTo(NbdError.EINVAL)).hasMessageContaining("passphrase");
        }
    }

    @Test
    void aDiskWithoutALuksHeaderIsRefused() throws Exception {
        Path disk = dir.resolve("plain.img");
        Files.write(disk, new byte[1 << 16]);
        try (FileNext below = new FileNext(disk)) {
            assertThatThrownBy(() -> open(filter(SECRET), below)).isInstanceOf(NbdException.class).hasMessageContaining("not LUKS");
        }
    }

    @Test
    void thePassphraseIsRequiredAndMayComeFromAFile() throws Exception {
        assertThatThrownBy(() -> new LuksFilter().configComplete()).isInstanceOf(ConfigException.class).hasMessageContaining("passphrase");
        Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET + "\n");
        Path disk = luksDisk("64K");
        try (FileNext below = new FileNext(disk)) {
            assertThat(open(filter("+" + secret), below).size()).isEqualTo(64 * 1024);
        }
    }
}
