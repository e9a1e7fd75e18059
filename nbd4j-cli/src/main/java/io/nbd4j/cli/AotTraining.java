package io.nbd4j.cli;

import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --internal-aot-training=STEPS} (hidden, for nbd4j-dist's {@code train} script only): the run
 * whose JVM writes an AOT cache (JEP 483) when it exits. A cache holds the classes its one JVM loaded, so
 * this JVM serves, one after the other, the chosen {@link #STEPS}: the plugins of the core jar that the
 * bench's cold rows start fresh, memory, file (reads, writes, zeroes, trims, extents), file behind the
 * multi-conn filter (flushes on four connections) and the nbd proxy (in front of a memory disk this JVM
 * serves), each a captive run through {@link Main#run} with the libnbd tools (and fio) as clients. A
 * fresh server of a plugin its cache does not cover loads and links its request path during its first
 * requests.
 *
 * <p>Why steps can be chosen: every class in a cache is loaded and linked at each start, whatever the
 * plugin; the classes of file, multi-conn and nbd cost a captive memory start 2-5 ms, so the train
 * script makes two caches, memory alone and all steps, and the launchers choose by the plugin named.
 * Not curl: its start loads the JDK's TLS, X.509 and date-formatting classes (about 650 with a web
 * server to serve it); in the one cache of all steps a captive memory start took 84 -> 95 ms.
 *
 * <p>Each step's script skips the clients that are not installed, so the cache is made without them
 * (holding the start-ups only). Every step reports one line on stderr, {@code nbd4j: aot training:
 * NAME: ok (N ms)} or {@code ... failed (status N)}; the run exits 1 when a step failed, 0 otherwise.
 *
 * <p><b>Threads.</b> Runs on the main thread; the servers of the steps use their own as usual.
 */
final class AotTraining {
    /** What the scripts write in the work directory, removed at the end. */
    private static final List<String> FILES = List.of("data.img", "disk.img", "copy.img", "upstream.sock");

    /**
     * The data, made by the shell rather than by this JVM, whose classes for them would go into the cache:
     * data.img random (nbdcopy skips zeroes), disk.img the file plugin's, 64 MiB with 16 pieces of data
     * between holes, as the bench's sparse copies are.
     */
    private static final String PREPARE = """
            set -e
            head -c 16M /dev/urandom >data.img
            truncate -s 64M disk.img
            for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
              dd if=data.img of=disk.img bs=256K count=1 skip=$i seek=$((i * 16 + i % 4)) conv=notrunc status=none
            done
            """;

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

    /** The steps, in the order they run. */
    static final List<String> STEPS = List.of("memory", "file", "multi-conn", "nbd");

    private final Set<String> steps;
    private final Path dir;
    private final PrintStream out;
    private final PrintStream err;
    private int failures;

    private AotTraining(Set<String> steps, Path dir, PrintStream out, PrintStream err) {
        this.steps = steps;
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    /** {@code names}: some of {@link #STEPS}, separated by commas. */
    static Set<String> steps(String names) throws UsageException {
        Set<String> chosen = new HashSet<>();
        for (String name : names.split(",")) {
            if (!STEPS.contains(name)) {
                throw new UsageException("--internal-aot-training: '" + name + "' is not a step; expected some of "
                        + String.join(",", STEPS));
            }
            chosen.add(name);
        }
        return chosen;
    }

    static int run(Set<String> steps, PrintStream out, PrintStream err) {
        // Named after the process, not by Files.createTempDirectory, whose SecureRandom would go into the cache.
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "nbd4j-aot-training-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            err.println("nbd4j: error: aot training: " + e.getMessage());
            return 1;
        }
        try {
            return new AotTraining(steps, dir, out, err).steps();
        } finally {
            removeFiles(dir);
        }
    }

    private int steps() {
        int prepared = shell(PREPARE);
        if (prepared != 0) {
            err.println("nbd4j: error: aot training: making the data failed (status " + prepared + ")");
            return 1;
        }
        String disk = dir.resolve("disk.img").toString();
        if (steps.contains("memory")) {
            step("memory", MEMORY, "memory", "64M");
        }
        if (steps.contains("file")) {
            step("file", FILE, "file", "file=" + disk);
        }
        if (steps.contains("multi-conn")) {
            step("multi-conn", MULTI_CONN, "--filter=multi-conn", "file", "file=" + disk, "multi-conn-mode=emulate");
        }
        if (steps.contains("nbd")) {
            proxyStep();
        }
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

    private int shell(String script) {
        try {
            return new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile()).inheritIO().start().waitFor();
        } catch (IOException e) {
            err.println("nbd4j: error: aot training: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void report(String name, String outcome) {
        err.println("nbd4j: aot training: " + name + ": " + outcome);
    }

    private static void removeFiles(Path dir) {
        try {
            for (String name : FILES) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.delete(dir);
        } catch (IOException e) {
            // A leftover in the temporary directory does not spoil the cache.
        }
    }
}
