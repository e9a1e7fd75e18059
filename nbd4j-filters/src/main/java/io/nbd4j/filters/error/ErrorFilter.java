package io.nbd4j.filters.error;

import io.nbd4j.filters.common.Operation;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --filter=error}: fails chosen calls at a chosen rate, for testing how clients cope (see the
 * package documentation).
 *
 * <p><b>Threads.</b> Configured on the main thread; afterwards the settings are read only, by any
 * number of request threads.
 */
public final class ErrorFilter implements Filter {
    /** The calls errors can be injected into, in nbdkit's order; flush is never failed. */
    static final List<Operation> TARGETS = List.of(Operation.PREAD, Operation.PWRITE, Operation.TRIM, Operation.ZERO,
            Operation.EXTENTS, Operation.CACHE);
    static final List<String> ERROR_NAMES = List.of("EPERM", "EIO", "ENOMEM", "EINVAL", "ENOSPC", "ESHUTDOWN");

    private final Map<Operation, Injection> injections = new EnumMap<>(Operation.class);

    public ErrorFilter() {
        TARGETS.forEach(op -> injections.put(op, Injection.NEVER));
    }

    @Override
    public String name() {
        return "error";
    }

    @Override
    public String description() {
        return "inject errors into calls, at a rate, while a file exists";
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(List.of(
                new Parameter("error", String.join("|", ERROR_NAMES), "the error injected (default EIO)"),
                new Parameter("error-rate", "N%|0..1", "share of calls that fail (default 0%: none)"),
                new Parameter("error-file", "FILE", "inject only while FILE exists")));
        for (Operation op : TARGETS) {
            String n = op.nbdkitName();
            p.add(new Parameter("error-" + n, String.join("|", ERROR_NAMES), "the error injected into " + n + " calls"));
            p.add(new Parameter("error-" + n + "-rate", "N%|0..1", "share of " + n + " calls that fail"));
            p.add(new Parameter("error-" + n + "-file", "FILE", "inject into " + n + " calls only while FILE exists"));
        }
        return p;
    }

    /** Settings for every call ({@code error}, {@code error-rate} …) or one ({@code error-pread-rate} …), the last given winning. */
    @Override
    public void config(String key, String value) throws ConfigException {
        String[] parts = key.split("-");
        if (!parts[0].equals("error") || parts.length > 3) {
            throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
        List<Operation> targets = TARGETS;
        String setting = parts.length == 1 ? "" : parts[parts.length - 1];
        if (parts.length == 3 || (parts.length == 2 && !setting.equals("rate") && !setting.equals("file"))) {
            Operation op = target(parts[1], key);
            targets = List.of(op);
            setting = parts.length == 3 ? setting : "";
        }
        switch (setting) {
            case "" -> {
                NbdError error = parseError(key, value);
                targets.forEach(op -> injections.put(op, injections.get(op).withError(error)));
            }
            case "rate" -> {
                double rate = parseRate(key, value);
                targets.forEach(op -> injections.put(op, injections.get(op).withRate(rate)));
            }
            case "file" -> {
                if (value.isEmpty()) {
                    throw new ConfigException(key + ": the file name must not be empty");
                }
                Path trigger = Path.of(value).toAbsolutePath();
                targets.forEach(op -> injections.put(op, injections.get(op).withTrigger(trigger)));
            }
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
    }

    private Operation target(String name, String key) throws ConfigException {
        for (Operation op : TARGETS) {
            if (op.nbdkitName().equals(name)) {
                return op;
            }
        }
        throw new ConfigException(this.name() + ": unknown parameter '" + key + "' (errors go into pread, pwrite, trim, zero, extents or cache)");
    }

    static NbdError parseError(String key, String value) throws ConfigException {
        if (!ERROR_NAMES.contains(value)) {
            throw new ConfigException(key + ": unknown error name '" + value + "' (expected one of: "
                    + String.join(", ", ERROR_NAMES) + ")");
        }
        return NbdError.valueOf(value);
    }

    /** A percentage ({@code 10%}) or a probability ({@code 0.1}), from 0 to 1. */
    static double parseRate(String key, String value) throws ConfigException {
        String s = value.strip();
        boolean percent = s.endsWith("%");
        double rate;
        try {
            rate = Double.parseDouble(percent ? s.substring(0, s.length() - 1).strip() : s);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": could not parse rate '" + value + "' (expected a percentage such as 10% or a probability from 0 to 1)");
        }
        if (percent) {
            rate /= 100;
        }
        if (!(rate >= 0 && rate <= 1)) {
            throw new ConfigException(key + ": rate '" + value + "' is out of range (0% to 100%, or 0 to 1)");
        }
        return rate;
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new ErrorHandle(below.open(request), Map.copyOf(injections));
    }
}
