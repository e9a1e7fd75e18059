package io.nbd4j.filters.partition;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.plugins.partitioning.PartitioningPlugin;
import io.nbd4j.spi.Plugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The partition filter over disks made by the partitioning plugin (each partition a file whose
 * content is known) and over hand-made broken tables.
 */
class PartitionFilterTest {
    @TempDir
    Path dir;

    /** Seven files, each 1000 + i bytes of the byte i, named p1..p7. */
    private List<String> files(int count) throws IOException {
        List<String> words = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            byte[] content = new byte[1000 + i];
            java.util.Arrays.fill(content, (byte) i);
            Path p = dir.resolve("p" + i);
            Files.write(p, content);
            words.add("file=" + p);
        }
        return words;
    }

    private byte[] served(Plugin plugin, List<String> words, int partition) throws Exception {
        List<String> config = new ArrayList<>(words);
        config.add("partition=" + partition);
        try (ServedStack served = ServedStack.of(plugin, new PartitionFilter()).config(config.toArray(String[]::new)).start();
             NbdClient client = served.connect()) {
            return client.pread(0, (int) client.size());
        }
    }

    /** What partition {@code n} of a disk made from {@link #files} reads as: the file, padded to a sector. */
    private static byte[] expected(int file) {
        byte[] b = new byte[1024];
        java.util.Arrays.fill(b, 0, 1000 + file, (byte) file);
        return b;
    }

    @ParameterizedTest(name = "{0}: partition {1} is file {2}")
    @CsvSource({"mbr, 1, 1", "mbr, 3, 3", "mbr, 5, 4", "mbr, 8, 7", "gpt, 1, 1", "gpt, 7, 7"})
    void eachPartitionReadsAsItsFile(String type, int partition, int file) throws Exception {
        List<String> words = files(7);
        words.add("partition-type=" + type);
        assertThat(served(new PartitioningPlugin(), words, partition)).isEqualTo(expected(file));
    }

    @Test
    void aPrimaryPartitionOfASmallMbrDiskIsFound() throws Exception {
        List<String> words = files(2);
        words.add("partition-type=mbr");
        assertThat(served(new PartitioningPlugin(), words, 2)).isEqualTo(expected(2));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "3 | mbr | MBR partition 3 not found",
            "4 | mbr-extended | MBR partition 4 not found",
            "9 | mbr-extended | MBR partition 9 not found",
            "5 | mbr | there is no extended partition",
            "3 | gpt | GPT partition 3 not found",
            "200 | gpt | out of range"})
    void aMissingPartitionRefusesTheConnectionNamingIt(int partition, String disk, String message) throws Exception {
        List<String> words = files(disk.equals("mbr-extended") ? 6 : 2);
        words.add("partition-type=" + (disk.startsWith("mbr") ? "mbr" : "gpt"));
        assertThatThrownBy(() -> served(new PartitioningPlugin(), words, partition)).hasMessageContaining(message);
    }

    @Test
    void aDiskWithoutATableOrAPartitionPastItsEndIsRefused() throws Exception {
        ScriptedPlugin blank = new ScriptedPlugin(64 << 10);
        assertThatThrownBy(() -> served(blank, List.of(), 1)).hasMessageContaining("no MBR or GPT partition table");
        ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        mbr.put(0x1be + 4, (byte) 0x83).putInt(0x1be + 8, 100).putInt(0x1be + 12, 100);
        mbr.put(0x1fe, (byte) 0x55).put(0x1ff, (byte) 0xaa);
        ScriptedPlugin small = new ScriptedPlugin(64 << 10).fill(0, mbr.array());
        assertThatThrownBy(() -> served(small, List.of(), 1)).hasMessageContaining("outside the disk");
    }

    @Test
    void anEbrChainThatLoopsBackIsRefusedRatherThanFollowedForever() throws Exception {
        ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        mbr.put(0x1be + 4, (byte) 0x05).putInt(0x1be + 8, 2).putInt(0x1be + 12, 100);
        mbr.put(0x1fe, (byte) 0x55).put(0x1ff, (byte) 0xaa);
        ByteBuffer ebr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        ebr.put(0x1be + 4, (byte) 0x83).putInt(0x1be + 8, 1).putInt(0x1be + 12, 1);
        ebr.put(0x1ce + 4, (byte) 0x05).putInt(0x1ce + 8, 0).putInt(0x1ce + 12, 2);
        ebr.put(0x1fe, (byte) 0x55).put(0x1ff, (byte) 0xaa);
        ScriptedPlugin looping = new ScriptedPlugin(64 << 10).fill(0, mbr.array()).fill(1024, ebr.array());
        assertThatThrownBy(() -> served(looping, List.of(), 7)).hasMessageContaining("does not follow");
    }

    @Test
    void thePartitionNumberIsRequiredAndCountsFrom1() {
        assertThatThrownBy(() -> Layers.configured(new PartitionFilter())).hasMessageContaining("required");
        assertThatThrownBy(() -> Layers.configured(new PartitionFilter(), "partition=0")).hasMessageContaining("out of range");
    }
}
