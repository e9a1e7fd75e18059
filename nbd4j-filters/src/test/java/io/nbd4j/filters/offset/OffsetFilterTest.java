package io.nbd4j.filters.offset;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class OffsetFilterTest {
    private final ScriptedPlugin disk = new ScriptedPlugin(64 << 10);

    @Test
    void everyRequestIsMovedByTheOffsetAndTheSizeIsTheRange() throws Exception {
        disk.fill(8192, "hello".getBytes());
        try (ServedStack served = ServedStack.of(disk, new OffsetFilter()).config("offset=8K", "range=16K").start();
             NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(16 << 10);
            assertThat(new String(client.pread(0, 5))).isEqualTo("hello");
            client.pwrite("bye".getBytes(), 100);
            client.zero(512, 1024, 0);
            client.trim(4096, 4096, 0);
            client.cache(512, 0);
        }
        assertThat(new String(disk.read(8292, 3))).isEqualTo("bye");
        assertThat(disk.calls()).containsExactly("pread 8192+5", "pwrite 8292+3", "zero 9216+512 may_trim",
                "trim 12288+4096", "cache 8192+512");
    }

    @Test
    void withoutARangeTheRestOfTheDiskIsServed() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new OffsetFilter()).config("offset=1").start();
             NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo((64 << 10) - 1);
        }
    }

    @Test
    void aRangeReachingPastTheDiskRefusesTheConnection() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new OffsetFilter()).config("offset=48K", "range=17K").start()) {
            assertThatThrownBy(served::connect).hasMessageContaining("offset+range");
        }
        try (ServedStack served = ServedStack.of(disk, new OffsetFilter()).config("offset=65537").start()) {
            assertThatThrownBy(served::connect).hasMessageContaining("larger than the size of the layer below");
        }
    }

    @Test
    void blockStatusIsMovedAndClippedToTheRange() throws Exception {
        disk.fill(4096, new byte[4096]).fill(12288, new byte[8192]);
        try (ServedStack served = ServedStack.of(disk, new OffsetFilter()).config("offset=2K", "range=12K").start();
             NbdClient client = served.connect()) {
            List<Extent> extents = client.blockStatus(12 << 10, 0, 0);
            assertThat(extents).extracting(Extent::offset, Extent::length)
                    .containsExactly(tuple(0L, 2048L), tuple(2048L, 4096L), tuple(6144L, 4096L), tuple(10240L, 2048L));
            assertThat(extents).extracting(Extent::isHole).containsExactly(true, false, true, false);
        }
    }

    @Test
    void aReadMayStillBeSentFromTheMemoryOfTheLayerBelow() throws Exception {
        ByteBuffer memory = ByteBuffer.allocate(1 << 20);
        Next below = new Next() {
            @Override public long size() { return 1 << 20; }
            @Override public void pread(ByteBuffer buffer, long offset, int flags) { throw new AssertionError("a view was offered"); }
            @Override public ByteBuffer readView(long offset, int length) { return memory.slice((int) offset, length); }
        };
        OffsetFilter filter = Layers.configured(new OffsetFilter(), "offset=4096");
        var handle = filter.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false), r -> below);
        handle.prepare(false);
        memory.put(4096 + 10, (byte) 7);
        assertThat(handle.readView(10, 1).get(0)).isEqualTo((byte) 7);
    }

    @Test
    void badOrUnknownParametersAreRefusedAtStart() {
        assertThatThrownBy(() -> Layers.configured(new OffsetFilter(), "offset=-1")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Layers.configured(new OffsetFilter(), "range=1Q")).hasMessageContaining("range");
        assertThatThrownBy(() -> Layers.configured(new OffsetFilter(), "lenght=1")).hasMessageContaining("unknown parameter 'lenght'");
    }
}
