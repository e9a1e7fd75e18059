package io.nbd4j.filters.log;

import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.testkit.GatheringPlugin;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class LogFilterTest {
    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ");

    @TempDir
    Path dir;

    /** The lines with their timestamps checked and cut off. */
    static List<String> entries(Path log) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            assertThat(line).containsPattern("^" + TIMESTAMP.pattern());
            out.add(TIMESTAMP.matcher(line).replaceFirst(""));
        }
        return out;
    }

    @Test
    void everyCallIsLoggedBeforeAndAfterInNbdkitsFormat() throws Exception {
        Path log = dir.resolve("log");
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        try (ServedStack served = ServedStack.of(disk, new LogFilter()).config("logfile=" + log).start();
             NbdClient client = served.connect()) {
            client.pwrite(ByteBuffer.wrap(new byte[512]), 0x200, CommandFlags.FUA);
            client.pread(0, 512);
            client.flush();
            client.zero(4096, 8192, CommandFlags.NO_HOLE | CommandFlags.FAST_ZERO);
            client.trim(4096, 4096, 0);
            client.cache(4096, 0);
            client.blockStatus(65536, 0, 0);
        }

        assertThat(entries(log)).containsExactly(
                "Ready thread_model=3",
                "Preconnect id=1 readonly=0 ...",
                "...Preconnect id=1 return=0",
                "connection=1 Connect export=\"\" tls=0 size=0x100000 minsize=0x0 prefsize=0x0 maxsize=0x0 write=1 flush=1 "
                        + "rotational=0 trim=1 zero=2 fua=2 extents=1 cache=2 fast_zero=1",
                "connection=1 Write id=1 offset=0x200 count=0x200 fua=1 ...",
                "connection=1 ...Write id=1 return=0",
                "connection=1 Read id=2 offset=0x0 count=0x200 ...",
                "connection=1 ...Read id=2 return=0",
                "connection=1 Flush id=3 ...",
                "connection=1 ...Flush id=3 return=0",
                "connection=1 Zero id=4 offset=0x2000 count=0x1000 trim=0 fua=0 fast=1 ...",
                "connection=1 ...Zero id=4 return=0",
                "connection=1 Trim id=5 offset=0x1000 count=0x1000 fua=0 ...",
                "connection=1 ...Trim id=5 return=0",
                "connection=1 Cache id=6 offset=0x0 count=0x1000 ...",
                "connection=1 ...Cache id=6 return=0",
                "connection=1 Extents id=7 offset=0x0 count=0x10000 req_one=0 ...",
                "connection=1 ...Extents id=7 extents=(0x0 0x1000 \"\" 0x1000 0x1000 \"hole,zero\" 0x2000 0x1000 \"\" "
                        + "0x3000 0xd000 \"hole,zero\") return=0",
                "connection=1 Disconnect transactions=7");
    }

    @Test
    void aFailedCallIsLoggedWithTheErrorTheClientGets() throws Exception {
        Path log = dir.resolve("log");
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).failNext("pread", 1, NbdError.ENOSPC);
        try (ServedStack served = ServedStack.of(disk, new LogFilter()).config("logfile=" + log).start();
             NbdClient client = served.connect()) {
            assertThatThrownBy(() -> client.pread(0, 512)).isInstanceOf(NbdClientException.class);
        }

        assertThat(entries(log)).contains("connection=1 Read id=1 offset=0x0 count=0x200 ...",
                "connection=1 ...Read id=1 return=-1 error=ENOSPC");
    }

    @Test
    void aListingThatFailsBelowIsLoggedWithItsError() throws Exception {
        Path log = dir.resolve("log");
        LogFilter filter = Layers.configured(new LogFilter(), "logfile=" + log);
        filter.getReady(ThreadModel.PARALLEL);
        try {
            assertThatThrownBy(() -> filter.listExportsLazily(false, true,
                    () -> { throw new NbdException(NbdError.EINVAL, "no listing"); })).hasMessage("no listing");
        } finally {
            filter.unload();
        }

        assertThat(entries(log)).containsExactly("Ready thread_model=3",
                "ListExports id=1 readonly=0 tls=1 ...",
                "...ListExports id=1 return=-1 error=EINVAL");
    }

    @Test
    void logappendKeepsWhatTheFileHeldAndExportNamesAreShellQuoted() throws Exception {
        Path log = dir.resolve("log");
        Files.writeString(log, "# kept\n");
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).exports("it's $HOME");
        try (ServedStack served = ServedStack.of(disk, new LogFilter()).config("logfile=" + log, "logappend=true").start();
             NbdClient ignored = served.connect("it's $HOME")) {
            // connecting is enough
        }

        List<String> lines = Files.readAllLines(log);
        assertThat(lines.getFirst()).isEqualTo("# kept");
        assertThat(lines).anyMatch(l -> l.contains(" Connect export=\"it's \\$HOME\" tls=0 "));
    }

    @Test
    void aFileThatCannotBeOpenedStopsTheServerFromStarting() {
        ServedStack served = ServedStack.of(new ScriptedPlugin(4096), new LogFilter())
                .config("logfile=" + dir.resolve("no/such/dir/log"));

        assertThatThrownBy(served::start).hasMessageContaining("logfile").hasMessageContaining("no/such/dir/log");
        served.close();
    }

    /**
     * 64 reads at once must all be inside the plugin together (the plugin holds each until they have
     * gathered), so the filter serializes nothing; and each of the 130 lines written meanwhile is whole.
     */
    @Test
    void sixtyFourParallelReadsStayParallelAndEveryLineIsWhole() throws Exception {
        Path log = dir.resolve("log");
        int reads = 64;
        try (ServedStack served = ServedStack.of(new GatheringPlugin(1 << 20, reads), new LogFilter())
                .config("logfile=" + log).server(b -> b.threads(reads)).start();
             NbdClient client = served.connect()) {
            List<CompletableFuture<Void>> replies = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                replies.add(client.preadAsync(ByteBuffer.allocate(512), 512L * i, 0));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get();
        }

        List<String> lines = entries(log);
        Pattern read = Pattern.compile("connection=1 Read id=(\\d+) offset=0x[0-9a-f]+ count=0x200 \\.\\.\\.");
        Pattern done = Pattern.compile("connection=1 \\.\\.\\.Read id=(\\d+) return=0");
        assertThat(lines.stream().filter(l -> read.matcher(l).matches())).hasSize(reads);
        assertThat(lines.stream().filter(l -> done.matcher(l).matches())).hasSize(reads);
        assertThat(lines).hasSize(2 * reads + 5);   // Ready, Preconnect twice, Connect, Disconnect
    }

    @Test
    void theScriptSeesEachEntryAsShellVariablesWithExtentsAsAnArray() throws Exception {
        Path out = dir.resolve("out");
        String script = "echo \"$act $type ${connection:-} ${id:-} ${offset:-} ${return:-} ${extents[*]:-}\" >> " + out;
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        disk.fill(0, new byte[] {1});
        try (ServedStack served = ServedStack.of(disk, new LogFilter()).config("logscript=" + script).start();
             NbdClient client = served.connect()) {
            client.pread(4096, 512);
            client.blockStatus(8192, 0, 0);
        }

        assertThat(Files.readAllLines(out)).contains(
                "Ready PRINT     ",
                "Read ENTER 1 1 0x1000  ",
                "Read LEAVE 1 1  0 ",
                "Extents LEAVE 1 2  0 0x0 0x1000  0x1000 0x1000 hole,zero");
    }
}
