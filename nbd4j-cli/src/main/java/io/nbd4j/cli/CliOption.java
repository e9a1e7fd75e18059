package io.nbd4j.cli;

import java.util.List;

/**
 * One option of the command line, declared once: {@link Getopt} parses with it, {@code --help},
 * {@code --long-options} and {@code --short-options} print it. Immutable.
 *
 * @param shortName   the one-letter name ({@code -p}), or {@code 0} for none
 * @param longNames   the long names without the dashes, the first one shown first ({@code port})
 * @param argLabel    what the value stands for in the help ({@code PORT}), or {@code null} for a flag
 * @param description one line for {@code --help}
 * @param hidden      left out of the help and the option lists
 * @param setter      stores the value (a flag gets {@code null}) in the options being parsed
 */
record CliOption(char shortName, List<String> longNames, String argLabel, String description, boolean hidden,
                 Setter setter) {

    /** Stores one occurrence of an option; may refuse a value it cannot convert. */
    @FunctionalInterface
    interface Setter {
        void set(CliOptions options, String value) throws UsageException;
    }

    boolean takesValue() {
        return argLabel != null;
    }

    /** How a message names the option: its short name if it has one, else its first long name. */
    String displayName() {
        return shortName != 0 ? "-" + shortName : "--" + longNames.getFirst();
    }
}
