package io.nbd4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The command-line rules of GNU {@code getopt_long}, which nbdkit uses, so a command line means the
 * same to both servers: options may come anywhere, before or after the words ({@code memory 1G -f});
 * {@code --} ends the options; {@code -} alone is a word; short options cluster ({@code -rvf}) and take
 * their value attached or as the next argument ({@code -p10809}, {@code -p 10809}); long options take
 * it after {@code =} or as the next argument, and may be shortened to any unambiguous prefix
 * ({@code --fore}); an option given twice keeps its last value.
 *
 * <p>Why not a library: picocli's classes are Java 5 class files, which the AOT cache refuses, so each
 * start loads about 150 of them from the jar through the old verifier; measured, even through its
 * programmatic API (no annotations, no reflection), that is 75 ms more CPU per captive {@code --run},
 * most of its 100 ms budget (README, dependency table). Apache Commons CLI departs from
 * {@code getopt_long} where nbdkit users notice ({@code -Dname.flag=1} is refused, {@code --read} is
 * ambiguous between two spellings of one option, a value that looks like an option is refused).
 *
 * <p>Stateless.
 */
final class Getopt {
    private Getopt() {}

    /** Applies every option in {@code args} to {@code into}, in order, and returns the other words. */
    static List<String> parse(List<CliOption> table, String[] args, CliOptions into) throws UsageException {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                words.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (arg.startsWith("--")) {
                i = longOption(table, args, i, into);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                i = shortOptions(table, args, i, into);
            } else {
                words.add(arg);
            }
        }
        return words;
    }

    /** Returns the index of the last argument used. */
    private static int longOption(List<CliOption> table, String[] args, int i, CliOptions into) throws UsageException {
        String arg = args[i];
        int eq = arg.indexOf('=');
        String name = arg.substring(2, eq < 0 ? arg.length() : eq);
        CliOption option = byLongName(table, name);
        if (!option.takesValue()) {
            if (eq >= 0) {
                throw new UsageException("option '--" + name + "' doesn't allow an argument");
            }
            option.setter().set(into, null);
            return i;
        }
        if (eq >= 0) {
            option.setter().set(into, arg.substring(eq + 1));
            return i;
        }
        return valueFromNext(option, args, i, into, "option '--" + name + "' requires an argument");
    }

    /** The next argument is the option's value, whatever it looks like; returns its index. */
    private static int valueFromNext(CliOption option, String[] args, int i, CliOptions into, String missing)
            throws UsageException {
        if (i + 1 >= args.length) {
            throw new UsageException(missing);
        }
        option.setter().set(into, args[i + 1]);
        return i + 1;
    }

    /** An exact name, else the one option every name starting with {@code prefix} belongs to. */
    private static CliOption byLongName(List<CliOption> table, String prefix) throws UsageException {
        List<CliOption> matching = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (CliOption option : table) {
            for (String name : option.longNames()) {
                if (name.equals(prefix)) {
                    return option;
                }
                if (!prefix.isEmpty() && name.startsWith(prefix)) {
                    candidates.add("'--" + name + "'");
                    if (!matching.contains(option)) {
                        matching.add(option);
                    }
                }
            }
        }
        if (matching.isEmpty()) {
            throw new UsageException("unrecognized option '--" + prefix + "'");
        }
        if (matching.size() > 1) {
            throw new UsageException("option '--" + prefix + "' is ambiguous; possibilities: " + String.join(" ", candidates));
        }
        return matching.getFirst();
    }

    /** A cluster such as {@code -rvf} or {@code -p10809}; returns the index of the last argument used. */
    private static int shortOptions(List<CliOption> table, String[] args, int i, CliOptions into) throws UsageException {
        String arg = args[i];
        for (int c = 1; c < arg.length(); c++) {
            char letter = arg.charAt(c);
            CliOption option = byShortName(table, letter);
            if (!option.takesValue()) {
                option.setter().set(into, null);
                continue;
            }
            if (c + 1 < arg.length()) {
                option.setter().set(into, arg.substring(c + 1));
                return i;
            }
            return valueFromNext(option, args, i, into, "option requires an argument -- '" + letter + "'");
        }
        return i;
    }

    private static CliOption byShortName(List<CliOption> table, char letter) throws UsageException {
        for (CliOption option : table) {
            if (option.shortName() == letter) {
                return option;
            }
        }
        throw new UsageException("invalid option -- '" + letter + "'");
    }
}
