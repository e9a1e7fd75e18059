package io.nbd4j.filters.exportname;

import io.nbd4j.spi.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The values of {@code exportdesc}: where an export's description comes from. {@code keep} (the
 * plugin's), {@code none}, {@code fixed:STRING}, or {@code script:SCRIPT}, a shell snippet run with
 * {@code $name} set to the export's name whose output (at most 4096 bytes, the protocol's limit, less
 * one final newline) is the description.
 *
 * <p>Immutable; {@link #describe} may run from any thread, each call in a process of its own.
 */
final class Descriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Descriptions.class);
    private static final int MAX_DESCRIPTION = 4096;

    private enum Kind { KEEP, NONE, FIXED, SCRIPT }

    private final Kind kind;
    private final String text;

    private Descriptions(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    static final Descriptions KEEP = new Descriptions(Kind.KEEP, null);

    static Descriptions parse(String key, String value) throws ConfigException {
        if (value.equals("keep")) {
            return KEEP;
        }
        if (value.equals("none")) {
            return new Descriptions(Kind.NONE, null);
        }
        if (value.startsWith("fixed:")) {
            return new Descriptions(Kind.FIXED, value.substring("fixed:".length()));
        }
        if (value.startsWith("script:")) {
            return new Descriptions(Kind.SCRIPT, value.substring("script:".length()));
        }
        throw new ConfigException(key + ": unknown value '" + value + "' (expected keep, none, fixed:STRING or script:SCRIPT)");
    }

    /** Whether the plugin's own description is wanted. */
    boolean keepsPluginDescription() {
        return kind == Kind.KEEP;
    }

    /** The description of {@code name}, given the plugin's ({@code pluginDescription}, may be null). */
    String describe(String name, String pluginDescription) {
        return switch (kind) {
            case KEEP -> pluginDescription;
            case NONE -> null;
            case FIXED -> text;
            case SCRIPT -> runScript(name);
        };
    }

    /**
     * Runs the script and returns what it printed. Once its output is read (or the limit reached) the
     * pipe is closed and the process is not waited for: a script that goes on writing gets SIGPIPE, and
     * one that lingers cannot hold up the handshake. A script that cannot be started gives no description.
     */
    /** Output cut in the middle of a character decodes to a longer replacement; shorten it to fit again. */
    private static String withinLimit(String description) {
        String s = description;
        while (s.getBytes(StandardCharsets.UTF_8).length > MAX_DESCRIPTION) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private String runScript(String name) {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", text)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("name", name);
        try {
            Process process = builder.start();
            byte[] output;
            try (InputStream out = process.getInputStream()) {
                output = out.readNBytes(MAX_DESCRIPTION);
            }
            int length = output.length;
            if (length > 0 && output[length - 1] == '\n') {
                length--;
            }
            return withinLimit(new String(output, 0, length, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.info("exportname: the description script for '{}' failed: {}", name, e.getMessage());
            return null;
        }
    }
}
