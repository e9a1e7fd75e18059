package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** libnbd's {@code nbdcopy} (several connections, large requests) moves a disk's worth of data in and out. */
class NbdcopyRoundTripTest {
    private static final int SIZE_MIB = 256;

    @TempDir
    Path dir;

    @ServerTest
    void randomImageCopiedInAndOutIsByteForByteIdentical(Server server) throws IOException {
        Path original = dir.resolve("in.img");
        Path copy = dir.resolve("out.img");
        writeRandomFile(original, SIZE_MIB);

        try (ServerProcess s = ServerProcess.start(server, dir, "memory", SIZE_MIB + "M")) {
            Clients.nbdcopy(Duration.ofSeconds(120), original.toString(), s.uri());
            Clients.nbdcopy(Duration.ofSeconds(120), s.uri(), copy.toString());
        }

        ProcessResult cmp = Commands.run(Commands.DEFAULT_TIMEOUT, null,
                List.of("cmp", original.toString(), copy.toString()));
        assertThat(cmp.exitCode()).as(cmp.toString()).isZero();
        assertThat(Files.size(copy)).isEqualTo((long) SIZE_MIB << 20);
    }

    static void writeRandomFile(Path file, int mebibytes) throws IOException {
        SplittableRandom random = new SplittableRandom(mebibytes);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mebibytes; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
    }
}
