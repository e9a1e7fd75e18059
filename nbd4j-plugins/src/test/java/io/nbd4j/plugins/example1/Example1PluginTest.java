package io.nbd4j.plugins.example1;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.nbd4j.plugins.file.Requests.open;
import static org.assertj.core.api.Assertions.assertThat;

class Example1PluginTest {
    private final Example1Plugin plugin = new Example1Plugin();

    @Test
    void aReadOnly100MibDiskWithOneLinuxPartitionToItsEnd() throws Exception {
        Handle h = plugin.open(open(""));
        assertThat(h.size()).isEqualTo(100L << 20);
        assertThat(h.canWrite()).isFalse();
        assertThat(plugin.threadModel()).isEqualTo(ThreadModel.SERIALIZE_ALL_REQUESTS);
        ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        h.pread(mbr, 0, 0);
        assertThat(mbr.get(0x1fe) & 0xff).isEqualTo(0x55);
        assertThat(mbr.get(0x1be + 4) & 0xff).isEqualTo(0x83);
        assertThat(mbr.getInt(0x1be + 8) + mbr.getInt(0x1be + 12)).isEqualTo(204800);
    }

    @Test
    void aReadAcrossTheBootSectorsEndGetsItsLastBytesThenZeroes() throws Exception {
        Handle h = plugin.open(open(""));
        ByteBuffer b = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < 16; i++) {
            b.put(i, (byte) 9);
        }
        h.pread(b, 504, 0);
        assertThat(b.get(6) & 0xff).isEqualTo(0x55);
        assertThat(b.get(7) & 0xff).isEqualTo(0xaa);
        for (int i = 8; i < 16; i++) {
            assertThat(b.get(i)).isZero();
        }
    }
}
