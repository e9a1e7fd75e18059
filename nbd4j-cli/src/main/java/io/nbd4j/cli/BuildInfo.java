package io.nbd4j.cli;

import java.io.PrintStream;

/** Version and build facts, for {@code --version} and {@code --dump-config}. */
final class BuildInfo {
    private BuildInfo() {}

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    static void dumpConfig(PrintStream out) {
        String version = version();
        String[] parts = version.split("[.-]");
        out.println("name=nbd4j");
        out.println("version=" + version);
        if (parts.length >= 2) {
            out.println("version_major=" + parts[0]);
            out.println("version_minor=" + parts[1]);
        }
        out.println("host_os=" + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT));
        out.println("host_cpu=" + System.getProperty("os.arch"));
        out.println("java_version=" + Runtime.version());
        out.println("exit_with_parent=yes");
        out.println("tls=yes");
        // nbdkit's plugindir: where plugins shipped as jars of their own are looked up, in order.
        out.println("plugindir=" + String.join(java.io.File.pathSeparator,
                LayerJars.directories().stream().map(Object::toString).toList()));
    }
}
