package com.example.nbd4j;

import io.nbd4j.spi.Plugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin author needs nothing but the nbd4j-api artifact: the example's sources compile with the API
 * (and the JDK) as the whole class path.
 */
class BuildsAgainstTheApiAloneTest {

    @Test
    void exampleSourcesCompileWithOnlyTheApiOnTheClassPath(@TempDir Path out) throws Exception {
        Path api = Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            compiled = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", api.toString(), "-d", out.toString(), "-Xlint:all", "-Werror"),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(diagnostics.getDiagnostics()).as("compiler messages against %s alone", api).isEmpty();
        assertThat(compiled).isTrue();
        assertThat(out.resolve("com/example/nbd4j/HelloPlugin.class")).isRegularFile();
    }
}
