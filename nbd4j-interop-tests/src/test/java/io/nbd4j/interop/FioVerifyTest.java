package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** fio's nbd engine: concurrent random writes, each read back and checked against its checksum. */
class FioVerifyTest {
    private static final Pattern IO_BYTES = Pattern.compile("\"io_bytes\"\\s*:\\s*(\\d+)");

    @TempDir
    Path dir;

    @ServerTest
    void randomWritesAtQueueDepthEightAllVerify(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "16M")) {
            String json = Clients.fio(dir, "--name=verify", "--ioengine=nbd", "--uri=" + s.uri(),
                    "--rw=randwrite", "--bs=4k", "--size=16M", "--iodepth=8",
                    "--verify=crc32c", "--verify_fatal=1", "--verify_state_save=0",
                    "--output-format=json");

            // The first io_bytes is the read direction: the verification pass re-read every block written.
            Matcher m = IO_BYTES.matcher(json);
            assertThat(m.find()).as(json).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("bytes read back and verified").isEqualTo(16L << 20);
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("bytes written").isEqualTo(16L << 20);
            assertThat(json).contains("\"error\" : 0");
        }
    }
}
