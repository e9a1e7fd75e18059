package io.nbd4j.plugins.ssh;

import io.nbd4j.spi.ConfigException;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code password=} the ways nbdkit does: the value itself, {@code -} (asked on the terminal),
 * {@code +FILE} (the file's first line) or {@code -FD} (the first line read from an inherited
 * descriptor). Messages never contain the password. Stateless.
 */
final class PasswordSource {
    private PasswordSource() {}

    static String read(String value) throws ConfigException {
        if (value.equals("-")) {
            Console console = System.console();
            if (console == null) {
                throw new ConfigException("ssh: password=- needs a terminal to ask on (use password=+FILE or password=-FD)");
            }
            char[] typed = console.readPassword("password: ");
            if (typed == null) {
                throw new ConfigException("ssh: no password was typed");
            }
            return new String(typed);
        }
        if (value.startsWith("+")) {
            return firstLine(Path.of(value.substring(1)), "password=+FILE: cannot read " + value.substring(1));
        }
        if (value.length() > 1 && value.startsWith("-") && value.substring(1).chars().allMatch(Character::isDigit)) {
            return firstLine(Path.of("/dev/fd/" + value.substring(1)), "password=" + value + ": cannot read descriptor " + value.substring(1));
        }
        return value;
    }

    private static String firstLine(Path source, String failure) throws ConfigException {
        try {
            String text = new String(Files.readAllBytes(source), StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end);
        } catch (IOException e) {
            throw new ConfigException("ssh: " + failure + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
