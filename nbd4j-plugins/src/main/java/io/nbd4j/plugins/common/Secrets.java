package io.nbd4j.plugins.common;

import io.nbd4j.spi.ConfigException;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a secret given as a parameter value the way nbdkit's {@code nbdkit_read_password} does, so
 * that the same command lines work: the value itself; {@code -} to ask on the terminal;
 * {@code +FILE} to read it from a file; {@code -FD} to read it from an inherited file descriptor (not
 * 0, 1 or 2). One trailing newline of a file or descriptor is dropped. Stateless.
 */
public final class Secrets {
    private Secrets() {}

    /**
     * The secret {@code value} stands for.
     *
     * @param key the parameter's name, for messages and the terminal prompt
     * @throws ConfigException naming the file or descriptor that cannot be read, or when {@code -}
     *     is used without a terminal
     */
    public static String read(String key, String value) throws ConfigException {
        if (value.equals("-")) {
            return fromTerminal(key);
        }
        if (value.startsWith("+")) {
            return fromFile(key, Path.of(value.substring(1)), value.substring(1));
        }
        if (value.startsWith("-") && value.length() > 1 && value.substring(1).chars().allMatch(Character::isDigit)) {
            int fd = Integer.parseInt(value.substring(1));
            if (fd <= 2) {
                throw new ConfigException(key + ": cannot read from standard input, output or error (-" + fd
                        + "): reading would close it; pass another descriptor or a file (+FILE)");
            }
            return fromFile(key, Path.of("/proc/self/fd/" + fd), "file descriptor " + fd);
        }
        return value;
    }

    private static String fromTerminal(String key) throws ConfigException {
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new ConfigException(key + "=- asks on the terminal, but there is none; use " + key
                    + "=+FILE or " + key + "=-FD");
        }
        char[] typed = console.readPassword("%s: ", key);
        if (typed == null) {
            throw new ConfigException(key + ": no input on the terminal");
        }
        return new String(typed);
    }

    private static String fromFile(String key, Path path, String what) throws ConfigException {
        try {
            String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }
}
