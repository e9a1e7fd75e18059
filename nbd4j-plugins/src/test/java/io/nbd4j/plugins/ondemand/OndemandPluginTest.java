package io.nbd4j.plugins.ondemand;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.DetachedConnection;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OndemandPluginTest {
    @TempDir
    Path dir;

    /** A command that makes a 64 KiB disk starting with the export's file name, and counts its runs. */
    private String countingCommand() {
        return "echo run >> " + dir.resolve(".runs") + "; printf '%s' \"$(basename \"$disk\")\" > \"$disk\"; truncate -s \"$size\" \"$disk\"";
    }

    private OndemandPlugin configured(String... keyValues) throws ConfigException {
        OndemandPlugin plugin = new OndemandPlugin();
        plugin.config("dir", dir.toString());
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            plugin.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        plugin.configComplete();
        return plugin;
    }

    private static OpenRequest open(String name, boolean readOnly, ClientConnection connection) {
        return new OpenRequest(name, readOnly, false, 1, ThreadModel.PARALLEL, false, connection);
    }

    private static OpenRequest open(String name) {
        return new OpenRequest(name, false, false, 1, ThreadModel.PARALLEL, false);
    }

    private static String firstBytes(Handle h, int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        h.pread(b, 0, 0);
        return new String(b.array(), StandardCharsets.UTF_8);
    }

    private long runs() throws Exception {
        Path runs = dir.resolve(".runs");
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    @Test
    void anExportIsCreatedOnFirstUseAndKeptForLaterClients() throws Exception {
        OndemandPlugin plugin = configured("size=64K", "command=" + countingCommand());
        try (Handle h = plugin.open(open("alice"))) {
            assertThat(h.size()).isEqualTo(65536);
            assertThat(firstBytes(h, 5)).isEqualTo("alice");
            h.pwrite(ByteBuffer.wrap("ALICE".getBytes(StandardCharsets.UTF_8)), 0, 0);
            assertThat(h.canMultiConn()).isFalse();
        }
        try (Handle h = plugin.open(open("alice"))) {
            assertThat(firstBytes(h, 5)).isEqualTo("ALICE");
        }
        try (Handle h = plugin.open(open(""))) {
            assertThat(firstBytes(h, 7)).isEqualTo("default");
        }
        assertThat(runs()).isEqualTo(2);
        assertThat(dir.resolve("alice")).exists();
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".runs", "alice", "default");
        }
    }

    @Test
    void theListShowsTheDefaultExportThenTheOtherDisks() throws Exception {
        Files.createFile(dir.resolve("default"));
        Files.createFile(dir.resolve("one"));
        Files.createFile(dir.resolve("two"));
        Files.createFile(dir.resolve(".hidden"));
        Files.createFile(dir.resolve("has.dot"));
        Files.createDirectory(dir.resolve("subdir"));
        List<Export> exports = configured("size=1M").listExports(false, false);
        assertThat(exports.getFirst().name()).isEmpty();
        assertThat(exports).extracting(Export::name).containsExactlyInAnyOrder("", "one", "two");
    }

    @Test
    void namesThatCouldLeaveTheDirectoryOrReachHiddenFilesAreRefused() throws Exception {
        OndemandPlugin plugin = configured("size=64K", "command=" + countingCommand());
        for (String bad : List.of("/bad", ".bad", "bad.", "bad:bad", "../x", "a".repeat(256))) {
            assertThatThrownBy(() -> plugin.open(open(bad))).as(bad).isInstanceOf(NbdException.class)
                    .hasMessageContaining("invalid export name");
        }
        assertThat(runs()).isZero();
    }

    @Test
    void aFailedCreationLeavesNoDiskAndNamesTheCommandsError() throws Exception {
        OndemandPlugin plugin = configured("size=64K", "command=truncate -s 1 \"$disk\"; echo 'mkfs is sad' >&2; exit 3");
        assertThatThrownBy(() -> plugin.open(open("broken"))).isInstanceOf(NbdException.class)
                .hasMessageContaining("exit status 3").hasMessageContaining("mkfs is sad");
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void withoutCommandMkfsMakesAnExt4FileSystemWithTheLabel() throws Exception {
        OndemandPlugin plugin = configured("size=8M", "label=mine");
        try (Handle h = plugin.open(open("fs"))) {
            ByteBuffer superblock = ByteBuffer.allocate(1024);
            h.pread(superblock, 1024, 0);
            assertThat(superblock.get(56) & 0xFF).isEqualTo(0x53);
            assertThat(superblock.get(57) & 0xFF).isEqualTo(0xEF);
            assertThat(new String(superblock.array(), 120, 4, StandardCharsets.US_ASCII)).isEqualTo("mine");
        }
    }

    @Test
    void aSecondWriterIsRefusedWhileReadersShare() throws Exception {
        OndemandPlugin plugin = configured("size=64K", "command=" + countingCommand());
        try (Handle writer = plugin.open(open("x"))) {
            assertThatThrownBy(() -> plugin.open(open("x"))).isInstanceOf(NbdException.class)
                    .hasMessageContaining("locked by another client");
            assertThatThrownBy(() -> plugin.open(open("x", true, new DetachedConnection(ClientInfo.withoutAddress(2)))))
                    .hasMessageContaining("locked by another client");
            try (Handle other = plugin.open(open("y"))) {
                assertThat(other.size()).isEqualTo(65536);
            }
            assertThat(writer.size()).isEqualTo(65536);
        }
        try (Handle r1 = plugin.open(open("x", true, new DetachedConnection(ClientInfo.withoutAddress(3))));
             Handle r2 = plugin.open(open("x", true, new DetachedConnection(ClientInfo.withoutAddress(4))))) {
            assertThat(r1.canWrite()).isFalse();
            assertThatThrownBy(() -> plugin.open(open("x"))).hasMessageContaining("locked by another client");
            assertThat(r2.size()).isEqualTo(65536);
        }
        try (Handle again = plugin.open(open("x"))) {
            assertThat(again.canWrite()).isTrue();
        }
    }

    @Test
    void anInfoProbeNeedsNoLock() throws Exception {
        OndemandPlugin plugin = configured("size=64K", "command=" + countingCommand());
        try (Handle writer = plugin.open(open("x"));
             Handle probe = plugin.open(new OpenRequest("x", false, false, 2, ThreadModel.PARALLEL, true))) {
            assertThat(probe.size()).isEqualTo(writer.size());
        }
    }

    /** A connection that signals each time a layer sleeps on it, so a test can see a wait happen. */
    private static final class WatchedConnection implements ClientConnection {
        final DetachedConnection inner = new DetachedConnection(ClientInfo.withoutAddress(9));
        final Semaphore sleeps = new Semaphore(0);

        @Override public ClientInfo client() { return inner.client(); }
        @Override public ServerControl server() { return inner.server(); }
        @Override public void disconnect(boolean force) { inner.disconnect(force); }
        @Override public boolean isEnding() { return inner.isEnding(); }

        @Override
        public void sleep(Duration duration) throws NbdException {
            sleeps.release();
            inner.sleep(duration);
        }
    }

    /** Opens on a thread of its own, for an open that is expected to wait. */
    private static CompletableFuture<Handle> openLater(OndemandPlugin plugin, OpenRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return plugin.open(request);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
    }

    @Test
    void withWaitASecondClientWaitsForTheFirstToLeave() throws Exception {
        OndemandPlugin plugin = configured("size=64K", "wait=true", "command=" + countingCommand());
        Handle first = plugin.open(open("x"));
        WatchedConnection connection = new WatchedConnection();
        CompletableFuture<Handle> second = openLater(plugin, open("x", false, connection));
        connection.sleeps.acquire(2);
        assertThat(second).isNotDone();
        first.close();
        try (Handle h = second.get()) {
            assertThat(h.canWrite()).isTrue();
        }
    }

    @Test
    void aWaitEndsWhenTheWaitingClientGoesAway() throws Exception {
        OndemandPlugin plugin = configured("size=64K", "wait=true", "command=" + countingCommand());
        try (Handle first = plugin.open(open("x"))) {
            WatchedConnection connection = new WatchedConnection();
            CompletableFuture<Handle> second = openLater(plugin, open("x", false, connection));
            connection.sleeps.acquire();
            connection.disconnect(false);
            assertThatThrownBy(second::get).hasRootCauseInstanceOf(NbdException.class);
            assertThat(first.size()).isEqualTo(65536);
        }
    }

    @Test
    void requiredParametersAndReservedNamesAreChecked() {
        assertThatThrownBy(() -> new OndemandPlugin().configComplete()).isInstanceOf(ConfigException.class).hasMessageContaining("dir=");
        assertThatThrownBy(() -> configured()).isInstanceOf(ConfigException.class).hasMessageContaining("size=");
        assertThatThrownBy(() -> configured("size=1M", "disk=/x")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> configured("size=1M", "wait=perhaps")).hasMessageContaining("wait");
        assertThatThrownBy(() -> configured("size=1M", "bad-name=1")).hasMessageContaining("bad-name");
        OndemandPlugin missingDir = new OndemandPlugin();
        assertThatThrownBy(() -> {
            missingDir.config("dir", dir.resolve("missing").toString());
            missingDir.config("size", "1M");
            missingDir.configComplete();
        }).hasMessageContaining("not a directory");
    }
}
