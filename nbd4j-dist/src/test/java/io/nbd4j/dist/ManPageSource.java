package io.nbd4j.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AsciiDoc source of one man page in {@code docs/man}, read as far as the page convention
 * (docs/man/TEMPLATE.adoc) needs: the level-2 sections in order, and the labelled-list entries of a
 * section, each entry being the terms written directly one above the other ({@code key=VALUE::} then
 * {@code alias=VALUE::}) before its text.
 */
record ManPageSource(Path file, List<String> lines) {
    private static final Pattern SECTION = Pattern.compile("^== +(.+?)\\s*$");
    /** A first-level term: {@code TERM::} alone or followed by text, never {@code :::} (a nested list). */
    private static final Pattern TERM = Pattern.compile("^(\\S(?:.*?\\S)?)(?<!:)::(?!:)(?:\\s+.*)?$");

    static ManPageSource read(Path file) {
        try {
            return new ManPageSource(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's name from its file: {@code nbd4j-memory-plugin} for nbd4j-memory-plugin.1.adoc. */
    String name() {
        return file.getFileName().toString().replaceFirst("\\.\\d\\.adoc$", "");
    }

    List<String> sectionTitles() {
        List<String> titles = new ArrayList<>();
        for (String line : lines) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                titles.add(m.group(1));
            }
        }
        return titles;
    }

    /** The lines of a section, without its heading; empty when the page has no such section. */
    List<String> section(String title) {
        List<String> body = new ArrayList<>();
        boolean inside = false;
        boolean inBlock = false;
        for (String line : lines) {
            if (line.startsWith("----") || line.startsWith("....")) {
                inBlock = !inBlock;
            }
            Matcher m = SECTION.matcher(line);
            if (!inBlock && m.matches()) {
                inside = m.group(1).equals(title);
                continue;
            }
            if (inside) {
                body.add(line);
            }
        }
        return body;
    }

    /** The labelled-list entries of a section, keyed by their first term, each with all its terms. */
    Map<String, List<String>> entries(String sectionTitle) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        List<String> current = null;
        boolean previousWasTerm = false;
        boolean inBlock = false;
        for (String line : section(sectionTitle)) {
            if (line.startsWith("----") || line.startsWith("....")) {
                inBlock = !inBlock;
            }
            Matcher m = TERM.matcher(line);
            if (!inBlock && m.matches()) {
                String term = m.group(1);
                if (!previousWasTerm) {
                    current = new ArrayList<>();
                    entries.put(term, current);
                }
                current.add(term);
                previousWasTerm = line.substring(m.end(1) + 2).isBlank();
            } else {
                previousWasTerm = false;
            }
        }
        return entries;
    }
}
