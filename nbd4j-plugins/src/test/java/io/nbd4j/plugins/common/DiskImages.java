package io.nbd4j.plugins.common;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers for the tests of plugins that serve disk images: copying a disk out, running checkers on it. */
public final class DiskImages {
    private DiskImages() {}

    /** Gives the plugin each {@code key=value} and completes its configuration. */
    public static <P extends Plugin> P configured(P plugin, String... keyValues) throws ConfigException {
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            plugin.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        plugin.configComplete();
        return plugin;
    }

    /** Fails unless {@code dir} holds nothing (a plugin left no temporary file there). */
    public static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("files left in %s", dir).isEmpty();
        }
    }

    public static OpenRequest request() {
        return new OpenRequest("", true, false, 1, ThreadModel.PARALLEL, false);
    }

    /** Reads the whole disk through the handle into {@code file} (in 1 MiB reads, direct buffers as the server uses). */
    public static Path copy(Handle handle, Path file) throws IOException {
        long size = handle.size();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < size; at += buffer.capacity()) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - at));
                handle.pread(buffer, at, 0);
                buffer.position(0);
                out.write(buffer, at);
            }
        }
        return file;
    }

    /** What a program printed (standard output and error together) and how it exited. */
    public record Run(int status, String output) {}

    /** Runs a command to its end (at most a minute), with {@code MTOOLS_SKIP_CHECK} set for mtools. */
    public static Run run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        pb.environment().put("PATH", System.getenv("PATH") + ":/usr/sbin:/sbin");
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        return new Run(p.exitValue(), output);
    }

    /** Runs a command that must succeed; returns its output. */
    public static String runOk(String... command) throws IOException, InterruptedException {
        Run r = run(List.of(command));
        assertThat(r.status()).as("%s said: %s", String.join(" ", command), r.output()).isZero();
        return r.output();
    }
}
