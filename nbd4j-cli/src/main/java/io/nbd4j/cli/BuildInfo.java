package io.nbd4j.cli;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Version and build facts, for {@code --version} and {@code --dump-config}. */
final class BuildInfo {
    /**
     * The nbdkit release whose command line and behaviour nbd4j follows. {@code --dump-config} reports it
     * as {@code version_major}/{@code version_minor}, the fields nbdkit's manual tells scripts to test
     * ("nbdkit >= 1.12 is required"); {@code version=} stays nbd4j's own.
     */
    static final int NBDKIT_MAJOR = 1;
    static final int NBDKIT_MINOR = 32;

    /** Set by the {@code nbd4j} launcher to its own path; absent when the jar is run with {@code java -jar}. */
    private static final String LAUNCHER_PROPERTY = "nbd4j.launcher";

    private BuildInfo() {}

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** {@code key=value} lines sorted by key, as nbdkit prints them. */
    static void dumpConfig(PrintStream out) {
        Map<String, String> config = new TreeMap<>();
        config.put("name", "nbd4j");
        config.put("version", version());
        config.put("version_major", Integer.toString(NBDKIT_MAJOR));
        config.put("version_minor", Integer.toString(NBDKIT_MINOR));
        Path binary = binary();
        if (binary != null) {
            config.put("binary", binary.toString());
            config.put("bindir", binary.getParent().toString());
        }
        config.put("host_os", System.getProperty("os.name").toLowerCase(Locale.ROOT));
        config.put("host_cpu", hostCpu());
        config.put("java_version", Runtime.version().toString());
        config.put("exit_with_parent", "yes");
        config.put("selinux", "no");
        config.put("tls", "yes");
        // nbdkit's plugindir: where plugins shipped as jars of their own are looked up, in order.
        config.put("plugindir", String.join(java.io.File.pathSeparator,
                LayerJars.directories().stream().map(Object::toString).toList()));
        config.forEach((key, value) -> out.println(key + "=" + value));
    }

    /** The program users run: the launcher when it started us, else the jar. */
    private static Path binary() {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        if (launcher != null && !launcher.isEmpty()) {
            return Path.of(launcher).toAbsolutePath();
        }
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The machine name as {@code uname -m} and nbdkit spell it ({@code x86_64}, where Java says {@code amd64}). */
    private static String hostCpu() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }
}
