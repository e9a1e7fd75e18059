package io.nbd4j.filters.readahead;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Concurrently;
import io.nbd4j.filters.testkit.GatedDisk;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.spi.CacheMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ReadaheadFilterTest {
    @Test
    void theWindowDoublesWhileReadsOutrunItStaysWhileTheyMoveOnAndShrinksWhenTheyGoBack() {
        Window w = new Window();
        assertThat(w.next(0, 512, 1 << 30)).containsExactly(512, 32768);
        assertThat(w.next(512, 512, 1 << 30)).containsExactly(1024, 32768);
        assertThat(w.next(1 << 20, 512, 1 << 30)).containsExactly((1 << 20) + 512, 32768);
        assertThat(w.next(2 << 20, 512, 1 << 30)).containsExactly((2 << 20) + 512, 65536);
        assertThat(w.next(3 << 20, 512, 1 << 30)).containsExactly((3 << 20) + 512, 131072);
        assertThat(w.next(0, 512, 1 << 30)).containsExactly(512, 262144);
        assertThat(w.next(0, 512, 1 << 30)).containsExactly(512, 32768);
        assertThat(w.next((1 << 30) - 100, 100, 1 << 30)).isNull();
        for (int i = 1; i < 12; i++) {
            w.next((long) i << 24, 512, 1L << 40);
        }
        assertThat(w.next(12L << 24, 512, 1L << 40)[1]).isEqualTo(Window.MAX);
    }

    @Test
    void eachReadAsksTheLayerBelowToPrefetchWhatFollowsIt() throws Exception {
        GatedDisk disk = new GatedDisk(1 << 20).cachesNatively();
        try (ServedStack served = ServedStack.of(disk, new ReadaheadFilter()).start(); NbdClient client = served.connect()) {
            for (int i = 0; i < 10 * 512; i += 512) {
                client.pread(i, 512);
            }
            for (int i = 0; i < 10 * 512; i += 512) {
                disk.awaitCall("cache " + (i + 512) + "+32768");
            }
        }
        assertThat(disk.calls()).filteredOn(c -> c.startsWith("pread")).hasSize(10);
    }

    @Test
    void aReadNeverWaitsForAPrefetchNorForAnotherRead() throws Exception {
        GatedDisk disk = new GatedDisk(1 << 20).cachesNatively();
        try (ServedStack served = ServedStack.of(disk, new ReadaheadFilter()).start();
             NbdClient first = served.connect(); NbdClient second = served.connect()) {
            GatedDisk.Gate prefetch = disk.gateCache(4096);
            first.pread(0, 4096);
            prefetch.awaitEntered();
            GatedDisk.Gate read = disk.gateRead(8192);
            Thread held = Concurrently.start(() -> first.pread(8192, 4096));
            read.awaitEntered();

            second.pread(65536, 4096);
            first.pread(131072, 4096);
            read.open();
            prefetch.open();
            Concurrently.join(held);
        }
    }

    @Test
    void overALayerThatCannotPrefetchOrARunThatIsNotParallelItDoesNothing() throws Exception {
        ScriptedPlugin noCache = new ScriptedPlugin(1 << 20).cache(CacheMode.EMULATE);
        try (ServedStack served = ServedStack.of(noCache, new ReadaheadFilter()).start(); NbdClient client = served.connect()) {
            client.pread(0, 512);
        }
        assertThat(noCache.calls()).containsExactly("pread 0+512");

        ScriptedPlugin serial = new ScriptedPlugin(1 << 20).threadModel(ThreadModel.SERIALIZE_REQUESTS);
        try (ServedStack served = ServedStack.of(serial, new ReadaheadFilter()).start(); NbdClient client = served.connect()) {
            client.pread(0, 512);
        }
        assertThat(serial.calls()).containsExactly("pread 0+512");
    }
}
