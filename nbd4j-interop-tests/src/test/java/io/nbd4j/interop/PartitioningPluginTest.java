package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partitioning plugin's disks as sfdisk reads them, the same under nbd4j and nbdkit, and the
 * example1 fixture disk. Random GUIDs, and GPT partition names (nbdkit writes the path as given, nbd4j
 * the base name), are left out of the comparison.
 */
class PartitioningPluginTest {
    @TempDir
    Path dir;

    /** Files f1..fN of 1000, 2000, ... random-ish bytes, as plugin arguments. */
    private List<String> files(int count) throws IOException {
        List<String> args = new ArrayList<>(List.of("partitioning"));
        for (int i = 1; i <= count; i++) {
            byte[] content = new byte[i * 1000];
            java.util.Arrays.fill(content, (byte) i);
            args.add(Files.write(dir.resolve("f" + i), content).toString());
        }
        return args;
    }

    /** {@code sfdisk -d} of the served disk, without the random and the path-dependent fields. */
    private String layout(String uri) {
        try {
            Path image = Files.createTempFile(dir, "disk", ".img");
            Clients.nbdcopy(Duration.ofSeconds(60), uri, image.toString());
            ProcessResult verify = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("/usr/sbin/sfdisk", "-V", image.toString()));
            assertThat(verify.stdout()).contains("No errors detected");
            ProcessResult dump = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("/usr/sbin/sfdisk", "-d", image.toString()));
            return dump.stdout().replace(image.toString(), "disk")
                    .replaceAll("label-id: .*", "label-id: X")
                    .replaceAll(", uuid=[0-9A-F-]+", "")
                    .replaceAll(", name=\"[^\"]*\"", "");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anMbrDiskWithLogicalPartitionsHasTheLayoutNbdkitGives() throws Exception {
        List<String> args = files(6);
        args.add("partition-type=mbr");
        SideBySide.Outputs out = SideBySide.run(dir, args, this::layout);
        assertThat(out.nbd4j()).contains(
                "disk1 : start=        2048, size=           2, type=83, bootable",
                "disk4 : start=        6150, size=        6150, type=f",
                "disk7 : start=       12288, size=          12, type=83");
        out.assertSame();
    }

    @Test
    void aGptDiskHasTheLayoutAndTypesNbdkitGives() throws Exception {
        List<String> args = files(3);
        args.addAll(2, List.of("type-guid=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "alignment=4K"));
        args.add("partition-type=gpt");
        SideBySide.Outputs out = SideBySide.run(dir, args, this::layout);
        assertThat(out.nbd4j()).contains("label: gpt",
                "disk2 : start=        2056, size=           4, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F",
                "disk3 : start=        2064, size=           6, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F");
        out.assertSame();
    }

    @Test
    void example1IsAReadOnly100MibDiskWithOnePartition() {
        if (!Server.nbd4jSelected()) {
            return;
        }
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "example1")) {
            assertThat(Clients.nbdinfo("--size", s.uri())).isEqualTo("104857600\n");
            assertThat(Clients.nbdinfo(s.uri())).contains("is_read_only: true");
            assertThat(layout(s.uri())).contains("disk1 : start=        2048, size=      202752, type=83");
        }
    }
}
