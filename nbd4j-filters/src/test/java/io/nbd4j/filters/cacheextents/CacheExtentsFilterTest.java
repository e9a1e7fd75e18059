package io.nbd4j.filters.cacheextents;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.ExtentList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CacheExtentsFilterTest {
    private final ScriptedPlugin disk = new ScriptedPlugin(64 << 10).fill(8192, new byte[] {1});

    private long extentCalls() {
        return disk.calls().stream().filter(c -> c.startsWith("extents")).count();
    }

    @Test
    void aRequestInsideTheLastAnswerIsServedFromItAndOneOutsideAsksAgain() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new CacheExtentsFilter()).start(); NbdClient client = served.connect()) {
            client.blockStatus(16384, 0, CommandFlags.REQ_ONE);
            assertThat(client.blockStatus(4096, 8192, CommandFlags.REQ_ONE))
                    .extracting(Extent::offset, Extent::length, Extent::isHole).containsExactly(tuple(8192L, 4096L, false));
            client.blockStatus(4096, 12288, 0);
            assertThat(extentCalls()).isEqualTo(1);
            client.blockStatus(4096, 20480, 0);
            assertThat(extentCalls()).isEqualTo(2);
        }
        assertThat(disk.calls().getFirst()).as("REQ_ONE is not passed down").isEqualTo("extents 0+16384");
    }

    @Test
    void writesTrimsAndZeroesOnAnyConnectionForgetTheCacheButReadsDoNot() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new CacheExtentsFilter()).start();
             NbdClient a = served.connect(); NbdClient b = served.connect()) {
            a.blockStatus(4096, 0, 0);
            b.pread(0, 512);
            a.blockStatus(4096, 0, 0);
            assertThat(extentCalls()).isEqualTo(1);
            b.pwrite(new byte[] {1}, 0);
            a.blockStatus(4096, 0, 0);
            b.trim(4096, 4096, 0);
            a.blockStatus(4096, 0, 0);
            b.zero(4096, 4096, 0);
            a.blockStatus(4096, 0, 0);
            assertThat(extentCalls()).isEqualTo(4);
        }
    }

    @Test
    void theAnswerOfOneExportIsNeverServedForAnother() throws Exception {
        disk.exports("a", "b");
        try (ServedStack served = ServedStack.of(disk, new CacheExtentsFilter()).start();
             NbdClient a = served.connect("a"); NbdClient b = served.connect("b")) {
            a.blockStatus(4096, 0, 0);
            b.blockStatus(4096, 0, 0);
            assertThat(extentCalls()).isEqualTo(2);
        }
    }

    @Test
    void anAnswerThatRacedAWriteIsNotKept() throws Exception {
        ExtentCache cache = new ExtentCache();
        ExtentList answer = new ExtentList(0, 4096);
        long token = cache.fillStarting();
        cache.writeStarting();
        cache.writeEnded();
        answer.add(0, 4096, 0);
        cache.store(token, "", answer);
        assertThat(cache.lookup("", 0)).isNull();
        cache.writeStarting();
        long during = cache.fillStarting();
        cache.store(during, "", answer);
        assertThat(cache.lookup("", 0)).as("a fill that began while a write was running").isNull();
        cache.writeEnded();
        cache.store(cache.fillStarting(), "", answer);
        assertThat(cache.lookup("", 0)).hasSize(1);
    }
}
