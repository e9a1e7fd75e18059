package io.nbd4j.cli;

import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;
import io.nbd4j.server.TlsSettings;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Plugin;
import org.slf4j.simple.SimpleServiceProvider;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the {@code nbd4j} command. Parses the command line, answers the informational
 * options, configures the layers and hands over to {@link ServerRun}. Exit status 1 with one message
 * for every user mistake, as nbdkit does.
 */
public final class Main {
    private static final String SLF4J_PROVIDER = "slf4j.provider";
    private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (UsageException e) {
            err.println("nbd4j: error: " + e.getMessage());
            err.println("Try 'nbd4j --help' for more information.");
            return 1;
        }
        try {
            configureLogging(options);
            return dispatch(options, out, err);
        } catch (ConfigException e) {
            err.println("nbd4j: error: " + e.getMessage());
            return 1;
        } catch (UsageException e) {
            err.println("nbd4j: error: " + e.getMessage());
            return 1;
        }
    }

    /** Runs before the first logger exists, since slf4j-simple reads its settings then. */
    private static void configureLogging(CliOptions options) throws UsageException {
        // Named rather than looked up: SLF4J's service lookup scans the class path at the first logger,
        // 3-4 ms on the start's critical path. SLF4J says so at its INFO level, which is kept for itself.
        if (System.getProperty(SLF4J_PROVIDER) == null) {
            System.setProperty(SLF4J_PROVIDER, SimpleServiceProvider.class.getName());
            System.setProperty(SLF4J_VERBOSITY, System.getProperty(SLF4J_VERBOSITY, "WARN"));
        }
        switch (options.log) {
            case "stderr" -> {
                if (options.verbose) {
                    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
                }
            }
            case "null" -> System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
            case "syslog" -> throw new UsageException("--log=syslog is not supported: the JDK cannot write to syslog's"
                    + " datagram socket; use --log=stderr and let the service manager forward it");
            default -> throw new UsageException("--log=" + options.log + ": expected stderr or null");
        }
    }

    private static int dispatch(CliOptions options, PrintStream out, PrintStream err)
            throws ConfigException, UsageException {
        if (options.aotTraining != null) {
            return AotTraining.run(AotTraining.steps(options.aotTraining), out, err);
        }
        if (options.dumpConfig) {
            BuildInfo.dumpConfig(out);
            return 0;
        }
        if (options.longOptions || options.shortOptions) {
            Help.listOptions(options.longOptions, out);
            return 0;
        }
        if (options.single && options.dumpPlugin) {
            throw new UsageException("--dump-plugin cannot be combined with -s");
        }
        if (options.single) {
            Stdio.reserveForClient(err);
        }
        if (options.words.isEmpty()) {
            if (options.version) {
                out.println("nbd4j " + BuildInfo.version());
                return 0;
            }
            if (options.help) {
                Help.printUsage(out);
                return 0;
            }
            throw new UsageException("no plugin given (try 'nbd4j memory 1G', or 'nbd4j --help')");
        }
        boolean serving = !options.version && !options.help && !options.dumpPlugin;
        if (serving && options.unixSocket != null) {
            JdkWarmUp.unixSockets();
        }
        Plugin plugin = LayerLoader.plugin(options.words.getFirst());
        List<Filter> filters = new ArrayList<>();
        for (String f : options.filters) {
            filters.add(LayerLoader.filter(f));
        }
        if (options.version) {
            out.println("nbd4j " + BuildInfo.version());
            out.println(plugin.name() + " " + plugin.version());
            filters.forEach(f -> out.println(f.name() + " " + f.version()));
            return 0;
        }
        if (options.help) {
            Help.printUsage(out);
            Help.printLayers(plugin, filters, out);
            return 0;
        }
        LayerStack stack = new LayerStack(filters, plugin);
        for (String word : options.words.subList(1, options.words.size())) {
            stack.configWord(word);
        }
        DebugFlags.apply(options.debugFlags);
        if (options.dumpPlugin) {
            Help.dumpPlugin(stack, out);
            stack.unload();
            return 0;
        }
        ListenPlan plan = ListenPlan.from(options);
        MetricsAddress metrics = options.metrics == null ? null : MetricsAddress.parse(options.metrics);
        // limits and certificates are checked before the plugin does any work
        NbdServer.Builder builder = NbdServer.builder();
        Limits.apply(options, builder);
        TlsSettings tls = TlsChoice.from(options, err);
        builder.tls(tls);
        stack.configComplete();
        try {
            stack.getReady();
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(plugin.name() + ": " + e.getMessage(), e);
        }
        if (options.readyFile != null) {
            Stdio.release();
        }
        return new ServerRun(options, plan, metrics, stack, builder, tls, err).run();
    }
}
