package io.nbd4j.interop;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Builds a third-party plugin jar at test time, the way an outside author would: one source file compiled
 * against nbd4j-api alone, packaged with its {@code META-INF/services/io.nbd4j.spi.Plugin} entry. Stateless.
 */
final class PluginJar {
    private static final String SERVICE_FILE = "META-INF/services/io.nbd4j.spi.Plugin";

    private PluginJar() {}

    /**
     * Compiles {@code source} (declaring {@code className}) into {@code workDir} and returns the jar path.
     * {@code withServiceEntry} false leaves the registration out, as a broken jar would.
     */
    static Path build(Path workDir, String className, String source, boolean withServiceEntry) throws IOException {
        Path sources = Files.createDirectories(workDir.resolve("src"));
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        Path sourceFile = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
        Files.writeString(sourceFile, source);
        compile(sourceFile, classes);

        Path jar = workDir.resolve(className.substring(className.lastIndexOf('.') + 1).toLowerCase() + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                add(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
            if (withServiceEntry) {
                add(out, SERVICE_FILE, (className + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static void compile(Path sourceFile, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            fail("the tests run on a JRE without a Java compiler; run them on the JDK 25 toolchain");
        }
        Path api = Server.RepositoryRoot.find().resolve("nbd4j-api/target/classes");
        if (!Files.isDirectory(api.resolve("io/nbd4j/spi"))) {
            fail("nbd4j-api is not compiled at " + api + "; build the reactor first (mvn verify)");
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        List<String> args = List.of("--release", Integer.toString(Runtime.version().feature()),
                "-cp", api.toString(), "-d", classes.toString(), sourceFile.toString());
        int status = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        if (status != 0) {
            fail("the test plugin does not compile against nbd4j-api:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        }
    }

    private static void add(JarOutputStream jar, String name, byte[] content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        OutputStream out = jar;
        out.write(content);
        jar.closeEntry();
    }
}
