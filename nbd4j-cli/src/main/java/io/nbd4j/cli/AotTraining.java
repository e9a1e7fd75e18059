package io.nbd4j.cli;

import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code --internal-aot-training} (hidden, for nbd4j-dist's {@code train} script only): the run whose
 * JVM writes the AOT cache (JEP 483) when it exits. A cache holds the classes its one JVM loaded, so this
 * JVM serves, one after the other, the plugins of the core jar that the bench's cold rows start fresh:
 * memory, file (reads, writes, zeroes, trims, extents), file behind the multi-conn filter (flushes on
 * four connections) and the nbd proxy (in front of a memory disk this JVM serves), each a captive run
 * through {@link Main#run} with the libnbd tools (and fio) as clients. A fresh server of a plugin the
 * cache does not cover loads and links its request path during its first requests.
 *
 * <p>Not curl: its start loads the JDK's TLS, X.509 and date-formatting classes (about 650 with a web
 * server to serve it), and every class in the cache is loaded at each start of any plugin: trained on
 * curl too, a captive {@code memory --run 'nbdinfo --size'} took 84 -> 95 ms (31 alternating pairs).
 *
 * <p>Each step's script skips the clients that are not installed, so the cache is made without them
 * (holding the start-ups only). Every step reports one line on stderr, {@code nbd4j: aot training:
 * NAME: ok (N ms)} or {@code ... failed (status N)}; the run exits 1 when a step failed, 0 otherwise.
 *
 * <p><b>Threads.</b> Runs on the main thread; the servers of the steps use their own as usual.
 */
final class AotTraining {
    /** Random data the writes copy in: not zeroes, which nbdcopy would skip. */
    private static final String DATA = "data.img";
    /** The file plugin's disk: sparse, with data in pieces, as the bench's sparse copies are. */
    private static final String DISK = "disk.img";
    private static final int DATA_BYTES = 16 << 20;
    private static final long DISK_BYTES = 64 << 20;
    private static final int DISK_PIECES = 16;

    /** Each client runs only where it is installed, fio only where it has its nbd engine. */
    private static final String PREAMBLE = """
            set -e
            have() { command -v "$1" >/dev/null 2>&1; }
            have_fio() { have fio && fio --enghelp=nbd >/dev/null 2>&1; }
            fio_run() { fio --name=training --ioengine=nbd --uri="$uri" --norandommap --randrepeat=0 --bs=4k "$@"; }
            """;

    private static final String MEMORY = PREAMBLE + """
            if have nbdinfo; then nbdinfo --size "$uri"; fi
            if have nbdcopy; then
              nbdcopy data.img "$uri" && nbdcopy "$uri" null:
              nbdcopy --connections=1 "$uri" null:
            fi
            if have_fio; then
              fio_run --rw=randread --iodepth=16 --io_size=4m
              fio_run --rw=randwrite --iodepth=1 --io_size=1m
            fi
            """;

    private static final String FILE = PREAMBLE + """
            if have nbdinfo; then nbdinfo --map "$uri"; fi
            if have nbdcopy; then
              nbdcopy "$uri" copy.img
              nbdcopy --request-size=4096 "$uri" null:
              nbdcopy data.img "$uri" && nbdcopy "$uri" null:
              nbdcopy copy.img "$uri"
            fi
            if have_fio; then
              fio_run --rw=randread --iodepth=16 --io_size=4m
              fio_run --rw=randwrite --iodepth=1 --io_size=1m
              fio_run --rw=trim --bs=1m --io_size=16m
            fi
            """;

    private static final String MULTI_CONN = PREAMBLE + """
            if have nbdcopy; then nbdcopy --connections=4 --flush data.img "$uri"; fi
            if have_fio; then fio_run --rw=randwrite --iodepth=1 --numjobs=4 --fsync=1 --io_size=128k; fi
            """;

    private static final String PROXY = PREAMBLE + """
            if have nbdcopy; then nbdcopy data.img "$uri" && nbdcopy "$uri" null:; fi
            if have_fio; then fio_run --rw=randread --iodepth=16 --io_size=4m; fi
            """;

    private final Path dir;
    private final PrintStream out;
    private final PrintStream err;
    private int failures;

    private AotTraining(Path dir, PrintStream out, PrintStream err) {
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    static int run(PrintStream out, PrintStream err) {
        Path dir;
        try {
            dir = Files.createTempDirectory("nbd4j-aot-training");
        } catch (IOException e) {
            err.println("nbd4j: error: aot training: " + e.getMessage());
            return 1;
        }
        try {
            return new AotTraining(dir, out, err).steps();
        } finally {
            deleteTree(dir);
        }
    }

    private int steps() {
        try {
            writeData();
            writeSparseDisk();
        } catch (IOException e) {
            err.println("nbd4j: error: aot training: " + e.getMessage());
            return 1;
        }
        String disk = dir.resolve(DISK).toString();
        step("memory", MEMORY, "memory", "64M");
        step("file", FILE, "file", "file=" + disk);
        step("multi-conn", MULTI_CONN, "--filter=multi-conn", "file", "file=" + disk, "multi-conn-mode=emulate");
        proxyStep();
        return failures == 0 ? 0 : 1;
    }

    /** The nbd plugin in front of a memory disk served by this JVM (whose own path the memory step trained). */
    private void proxyStep() {
        Path socket = dir.resolve("upstream.sock");
        LayerStack upstream;
        NbdServer server;
        try {
            upstream = new LayerStack(List.of(), LayerLoader.plugin("memory"));
            upstream.configWord("64M");
            upstream.configComplete();
            upstream.getReady();
            server = NbdServer.builder().layers(upstream).unixSocket(socket).start();
        } catch (Exception e) {
            report("nbd", "failed (upstream: " + e.getMessage() + ")");
            failures++;
            return;
        }
        try {
            step("nbd", PROXY, "nbd", "socket=" + socket);
        } finally {
            server.close();
            upstream.unload();
        }
    }

    private void step(String name, String script, String... pluginWords) {
        List<String> args = new ArrayList<>(List.of("-U", "-", "--run", "cd " + CaptiveCommand.shellQuote(dir.toString())
                + "\n" + script));
        args.addAll(List.of(pluginWords));
        long start = System.nanoTime();
        int status = Main.run(args.toArray(String[]::new), out, err);
        if (status == 0) {
            report(name, "ok (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
        } else {
            report(name, "failed (status " + status + ")");
            failures++;
        }
    }

    private void report(String name, String outcome) {
        err.println("nbd4j: aot training: " + name + ": " + outcome);
    }

    private void writeData() throws IOException {
        byte[] data = new byte[DATA_BYTES];
        new Random(14).nextBytes(data);
        Files.write(dir.resolve(DATA), data);
    }

    /** {@link #DISK_PIECES} pieces of 256 KiB spread over the disk, holes between them. */
    private void writeSparseDisk() throws IOException {
        byte[] piece = new byte[256 << 10];
        new Random(6).nextBytes(piece);
        try (RandomAccessFile disk = new RandomAccessFile(dir.resolve(DISK).toFile(), "rw")) {
            disk.setLength(DISK_BYTES);
            long stride = DISK_BYTES / DISK_PIECES;
            for (int i = 0; i < DISK_PIECES; i++) {
                disk.seek(i * stride + (i % 4) * piece.length);
                disk.write(piece);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover in the temporary directory does not spoil the cache.
        }
    }
}
