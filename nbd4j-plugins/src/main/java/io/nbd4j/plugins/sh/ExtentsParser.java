package io.nbd4j.plugins.sh;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Values;

/**
 * Reads the output of {@code extents}: one {@code offset length [type]} line per extent, fields
 * separated by spaces or tabs, sizes in any form {@link Values#parseSize} takes. The type is a
 * number, absent (allocated data), or words where {@code hole} and {@code zero} set those bits
 * ({@code hole,zero}). Stateless.
 */
final class ExtentsParser {
    private ExtentsParser() {}

    static void parse(String script, String output, Extents sink) throws NbdException {
        for (String line : OutputLines.of(output)) {
            String[] fields = line.strip().split("[ \t]+");
            if (fields.length < 2 || fields[0].isEmpty()) {
                throw new NbdException(NbdError.EIO, script + ": extents: cannot parse '" + line + "'");
            }
            long offset = size(script, fields[0], line);
            long length = size(script, fields[1], line);
            int type = fields.length > 2 ? type(script, fields[2], line) : Extents.DATA;
            sink.add(offset, length, type);
        }
    }

    private static long size(String script, String field, String line) throws NbdException {
        try {
            return Values.parseSize("extents", field);
        } catch (ConfigException e) {
            throw new NbdException(NbdError.EIO, script + ": extents: cannot parse '" + line + "': " + e.getMessage(), e);
        }
    }

    private static int type(String script, String field, String line) throws NbdException {
        int digits = 0;
        while (digits < field.length() && Character.isDigit(field.charAt(digits))) {
            digits++;
        }
        if (digits > 0) {
            try {
                return Integer.parseUnsignedInt(field.substring(0, digits));
            } catch (NumberFormatException e) {
                throw new NbdException(NbdError.EIO, script + ": extents: type out of range in '" + line + "'", e);
            }
        }
        int type = Extents.DATA;
        if (field.contains("hole")) {
            type |= Extents.HOLE;
        }
        if (field.contains("zero")) {
            type |= Extents.ZERO;
        }
        return type;
    }
}
