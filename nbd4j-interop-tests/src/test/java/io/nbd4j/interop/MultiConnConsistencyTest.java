package io.nbd4j.interop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each {@code multi-conn-mode} promises a client with several connections, seen through the stale-cache
 * plugin: a connection that cached a block keeps reading the old bytes until that connection itself is
 * flushed. Without emulation a flush on another connection leaves it stale; with emulation the filter
 * replays the flush on every connection that needs it. Each test opens three or four connections from one
 * nbdsh and sends one command at a time, so both servers must give exactly these answers.
 */
class MultiConnConsistencyTest {
    @TempDir
    Path dir;

    private StaleCachePlugin plugin;

    @BeforeEach
    void install() {
        plugin = StaleCachePlugin.installIn(dir);
    }

    /** The premise of every other test: the plugin is not multi-conn consistent on its own. */
    @ServerTest
    void withoutTheFilterAFlushLeavesABlockCachedOnAnotherConnectionStale(Server server) {
        List<String> out = plugin.run(server, List.of(), staleAfterFlushSteps());

        assertThat(out).containsExactly("1:mc=False", "3:r:0=0", "3:r:0=0", "2:r:0=A");
    }

    @ServerTest
    void pluginModePassesOnThePluginsRefusalAndReplaysNoFlush(Server server) {
        List<String> out = plugin.run(server, filter("multi-conn-mode=plugin"), staleAfterFlushSteps());

        assertThat(out).containsExactly("1:mc=False", "3:r:0=0", "3:r:0=0", "2:r:0=A");
    }

    @ServerTest
    void emulateModeMakesAFlushOnTheWritingConnectionReachACachingConnection(Server server) {
        List<String> out = plugin.run(server, filter("multi-conn-mode=emulate"), staleAfterFlushSteps());

        assertThat(out).containsExactly("1:mc=True", "3:r:0=0", "3:r:0=A", "2:r:0=A");
    }

    @ServerTest
    void emulateModeMakesAFlushOnAnyConnectionPublishEveryAcknowledgedWrite(Server server) {
        ConnectionSteps steps = new ConnectionSteps().open(1, 2, 3, 4)
                .read(3, 0).read(3, 1)
                .write(1, 0, 'A').write(2, 1, 'B')
                .flush(4)
                .read(3, 0).read(3, 1).read(1, 1).read(2, 0);

        List<String> out = plugin.run(server, filter("multi-conn-mode=emulate"), steps);

        assertThat(out).containsExactly("3:r:0=0", "3:r:1=0", "3:r:0=A", "3:r:1=B", "1:r:1=B", "2:r:0=A");
    }

    @ServerTest
    void emulateModeMakesAFuaWriteVisibleAtOnceOnEveryConnection(Server server) {
        ConnectionSteps steps = new ConnectionSteps().open(1, 2, 3)
                .read(2, 0).read(3, 0)
                .fuaWrite(1, 0, 'C')
                .read(2, 0).read(3, 0);

        List<String> out = plugin.run(server, filter("multi-conn-mode=emulate"), steps);

        assertThat(out).containsExactly("2:r:0=0", "3:r:0=0", "2:r:0=C", "3:r:0=C");
    }

    @ServerTest
    void autoModeEmulatesForAPluginWithoutMultiConn(Server server) {
        List<String> out = plugin.run(server, filter(), staleAfterFlushSteps());

        assertThat(out).containsExactly("1:mc=True", "3:r:0=0", "3:r:0=A", "2:r:0=A");
    }

    @ServerTest
    void unsafeModeAdvertisesMultiConnButReplaysNeitherFlushNorFua(Server server) {
        ConnectionSteps steps = staleAfterFlushSteps().read(3, 1).fuaWrite(1, 1, 'B').read(3, 1);

        List<String> out = plugin.run(server, filter("multi-conn-mode=unsafe"), steps);

        assertThat(out).containsExactly("1:mc=True", "3:r:0=0", "3:r:0=0", "2:r:0=A", "3:r:1=0", "3:r:1=0");
    }

    @ServerTest
    void disableModeHidesMultiConnAndReplaysNoFlush(Server server) {
        List<String> out = plugin.run(server, filter("multi-conn-mode=disable"), staleAfterFlushSteps());

        assertThat(out).containsExactly("1:mc=False", "3:r:0=0", "3:r:0=0", "2:r:0=A");
    }

    /** disable mode hides multi-conn even from a plugin that is consistent, which plugin mode passes on. */
    @ServerTest
    void disableModeHidesMultiConnEvenFromAPluginThatHasIt(Server server) {
        String printMultiConn = "nbdsh -u \"$uri\" -c 'print(h.can_multi_conn())'";

        ProcessResult disabled = ServerProcess.captive(server,
                List.of("--filter=multi-conn", "memory", "1M", "multi-conn-mode=disable"), printMultiConn);
        ProcessResult passedOn = ServerProcess.captive(server,
                List.of("--filter=multi-conn", "memory", "1M", "multi-conn-mode=plugin"), printMultiConn);

        assertThat(disabled.exitCode()).as(disabled.toString()).isZero();
        assertThat(disabled.stdout().strip()).isEqualTo("False");
        assertThat(passedOn.exitCode()).as(passedOn.toString()).isZero();
        assertThat(passedOn.stdout().strip()).isEqualTo("True");
    }

    /**
     * Connection 2 has read the plugin's failing block, so its flushes fail. A flush on connection 1 must
     * report the failure and still be replayed on connection 3, which joined after 2 and cached block 0.
     * nbdkit 1.32 stops replaying at the first failure and leaves 3 stale (reference/nbdkit-inventory.md
     * §6.8, item 3); nbd4j flushes every connection and then reports the error.
     */
    @ServerTest
    void aReplayedFlushThatFailsOnOneConnectionStillReachesTheOthers(Server server) {
        ConnectionSteps steps = new ConnectionSteps().open(1, 2, 3)
                .read(2, 15).read(3, 0)
                .write(1, 0, 'A').tryFlush(1)
                .read(3, 0);

        List<String> out = plugin.run(server, filter("multi-conn-mode=emulate", "failing_flush_block=15"), steps);

        String afterFailedFlush = server == Server.NBDKIT ? "3:r:0=0" : "3:r:0=A";
        assertThat(out).containsExactly("2:r:15=0", "3:r:0=0", "1:F=failed", afterFailedFlush);
    }

    /** Emulation needs a flush to replay; a plugin without one cannot be made consistent, so clients are refused. */
    @ServerTest
    void emulateModeRefusesClientsWhenThePluginCannotFlush(Server server) {
        ConnectionSteps steps = new ConnectionSteps().tryOpen(1);

        List<String> emulated = plugin.run(server, filter("multi-conn-mode=emulate", "can_flush=false"), steps);
        List<String> passedOn = plugin.run(server, filter("multi-conn-mode=plugin", "can_flush=false"), steps);

        assertThat(emulated).containsExactly("1:O=refused");
        assertThat(passedOn).containsExactly("1:O=ok");
    }

    /**
     * Connection 3 caches block 0 (zeroes), connection 1 writes and flushes it, then connections 3 and 2 read
     * it: 3 sees A only if the flush was replayed on it; 2, which had cached nothing, reads the disk and must
     * see A in every mode, proving the flush on 1 happened.
     */
    private static ConnectionSteps staleAfterFlushSteps() {
        return new ConnectionSteps().open(1, 2, 3)
                .multiConn(1)
                .read(3, 0)
                .write(1, 0, 'A').flush(1)
                .read(3, 0).read(2, 0);
    }

    private static List<String> filter(String... parameters) {
        List<String> words = new ArrayList<>(List.of("--filter=multi-conn"));
        words.addAll(List.of(parameters));
        return words;
    }
}
