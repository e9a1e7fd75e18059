package io.nbd4j.cli;

import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;
import io.nbd4j.server.TlsSettings;
import io.nbd4j.spi.WarmUp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a configured server until it is told to stop: by SIGINT/SIGTERM, by the end of the
 * {@code --run} command, by the parent's exit ({@code --exit-with-parent}), by a layer that asks the
 * server to shut down, or, with {@code -s}, when the one client leaves. Stopping lets in-flight requests finish, unloads the layers (so a stats file is
 * complete) and removes the private socket directory.
 */
final class ServerRun {
    private final CliOptions options;
    private final ListenPlan plan;
    private final MetricsAddress metricsAddress;
    private final LayerStack stack;
    private final NbdServer.Builder builder;
    private final TlsSettings tls;
    private final PrintStream err;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private NbdServer server;
    private MetricsEndpoint metrics;

    /**
     * {@code builder} already carries the limits and {@code tls}; this adds the layers, settings and
     * listeners, and the metrics endpoint when {@code metricsAddress} is not null.
     */
    ServerRun(CliOptions options, ListenPlan plan, MetricsAddress metricsAddress, LayerStack stack, NbdServer.Builder builder,
              TlsSettings tls, PrintStream err) {
        this.options = options;
        this.plan = plan;
        this.metricsAddress = metricsAddress;
        this.stack = stack;
        this.builder = builder;
        this.tls = tls;
        this.err = err;
    }

    int run() {
        if (options.run != null) {
            // A short command (nbdinfo) ends before early preparation (a plugin's native bindings) pays off,
            // and on two cores that work delays the command's own start: first use pays it instead.
            WarmUp.skipFurtherTasks();
        }
        builder.layers(stack)
                .readOnly(options.readOnly)
                .threads(options.threads)
                .structuredReplies(!options.noStructuredReplies)
                .metaContexts(!options.noMetaContexts)
                .verbose(options.verbose);
        if (options.maskHandshake != null) {
            builder.maskHandshake(options.maskHandshake);
        }
        try {
            if (plan.activation() != null) {
                plan.activation().adopt().forEach(builder::listener);
            } else if (plan.unixSocket() != null) {
                builder.unixSocket(plan.unixSocket());
            } else if (!plan.single()) {
                builder.tcp(plan.tcpHost(), plan.tcpPort());
            }
            if (metricsAddress != null) {
                // MetricsEndpoint is the only class that loads the metrics library: only with --metrics.
                metrics = MetricsEndpoint.start(metricsAddress);
                builder.metrics(metrics.metrics());
            }
            server = builder.start();
        } catch (IOException e) {
            err.println("nbd4j: error: cannot listen: " + e.getMessage());
            stopQuietly();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "nbd4j-shutdown"));
        if (options.exitWithParent) {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        }
        try {
            if (server.control().isShuttingDown()) {
                // A layer found at start that the server has nothing to do (the exitwhen filter's event
                // has happened already): exit successfully without serving, as nbdkit does.
                finishedAtStart();
                return 0;
            }
            if (plan.single()) {
                server.serveStandardStreams();
                stopQuietly();
                return 0;
            }
            announceReady();
            if (options.run != null) {
                int status = runCaptive();
                stopQuietly();
                return status;
            }
            // returns when a signal's hook or a layer (e.g. a filter that exits with the last client) closed it
            server.awaitTermination();
            stopQuietly();
            return 0;
        } catch (IOException e) {
            err.println("nbd4j: error: " + e.getMessage());
            stopQuietly();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly();
            return 1;
        }
    }

    /** Lets a detaching launcher return (successfully) although the server will not serve. */
    private void finishedAtStart() throws IOException {
        stopQuietly();
        if (options.readyFile != null) {
            writeAtomically(options.readyFile, "ready\n");
        }
    }

    private void announceReady() throws IOException {
        if (options.pidFile != null) {
            writeAtomically(options.pidFile.toAbsolutePath(), ProcessHandle.current().pid() + "\n");
        }
        if (options.printUri) {
            System.out.println(uri());
            System.out.flush();
        }
        if (options.readyFile != null) {
            writeAtomically(options.readyFile, "ready\n");
        }
    }

    private String uri() {
        boolean secure = tls.mode() == TlsSettings.Mode.REQUIRE;
        if (plan.unixSocket() != null) {
            return NbdUri.unix(plan.unixSocket(), options.exportName, secure);
        }
        return NbdUri.tcp(options.ipAddress, server.tcpPort(), options.exportName, secure);
    }

    private int runCaptive() throws IOException, InterruptedException {
        String socket = plan.unixSocket() == null ? "" : plan.unixSocket().toString();
        String port = plan.unixSocket() == null ? Integer.toString(server.tcpPort()) : "";
        return new CaptiveCommand(options.run, uri(), socket, port, options.exportName, tlsLevel()).run();
    }

    /** {@code $tls} as nbdkit sets it: 0 off, 1 on, 2 require. */
    private String tlsLevel() {
        return switch (tls.mode()) {
            case OFF -> "0";
            case ON -> "1";
            case REQUIRE -> "2";
        };
    }

    /** Idempotent: the shutdown hook and the normal paths may both call it. */
    private void stopQuietly() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (server != null) {
            server.close();
        }
        stack.unload();
        if (metrics != null) {
            metrics.close();
        }
        plan.cleanUp();
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
