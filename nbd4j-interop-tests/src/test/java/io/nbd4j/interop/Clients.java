package io.nbd4j.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real NBD clients the tests drive: libnbd's {@code nbdsh}, {@code nbdinfo} and {@code nbdcopy}, qemu's
 * {@code qemu-img} and {@code qemu-io}, and {@code fio}. Each call fails the test, showing the client's
 * output, when the client exits non-zero. Stateless; safe from any thread.
 */
final class Clients {
    private Clients() {}

    /**
     * Runs Python statements in {@code nbdsh} connected to {@code uri} and returns what they printed.
     * Each statement is one {@code -c} argument; the handle is {@code h}.
     */
    static String nbdsh(String uri, String... statements) {
        return nbdsh(List.of("-u", uri), statements);
    }

    /** {@code nbdsh} with leading options (e.g. {@code --opt-mode}, {@code --base-allocation}, {@code -u URI}). */
    static String nbdsh(List<String> options, String... statements) {
        List<String> command = new ArrayList<>(List.of("nbdsh"));
        command.addAll(options);
        for (String s : statements) {
            command.add("-c");
            command.add(s);
        }
        return Commands.runOk(command).stdout();
    }

    static String nbdinfo(String... args) {
        return Commands.runOk(prepend("nbdinfo", args)).stdout();
    }

    static void nbdcopy(Duration timeout, String from, String to) {
        Commands.runOk(timeout, null, List.of("nbdcopy", from, to));
    }

    static String qemuImg(Path workDir, String... args) {
        return Commands.runOk(Commands.DEFAULT_TIMEOUT, workDir, prepend("qemu-img", args)).stdout();
    }

    static String qemuIo(String... args) {
        return Commands.runOk(prepend("qemu-io", args)).stdout();
    }

    static String fio(Path workDir, String... args) {
        return Commands.runOk(Commands.DEFAULT_TIMEOUT, workDir, prepend("fio", args)).stdout();
    }

    private static List<String> prepend(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(args));
        return command;
    }
}
