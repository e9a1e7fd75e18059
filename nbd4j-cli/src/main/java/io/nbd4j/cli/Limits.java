package io.nbd4j.cli;

import io.nbd4j.server.NbdServer;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Applies the resource limits of the command line ({@code --max-connections}, {@code --max-options},
 * {@code --max-payload}, {@code --handshake-timeout}, {@code --idle-timeout}) to a server builder,
 * leaving the server's defaults where an option is absent. Stateless.
 */
final class Limits {
    private Limits() {}

    static void apply(CliOptions o, NbdServer.Builder builder) throws ConfigException {
        if (o.maxConnections != null) {
            builder.maxConnections(atLeastOne("--max-connections", o.maxConnections));
        }
        if (o.maxOptions != null) {
            builder.maxOptions(atLeastOne("--max-options", o.maxOptions));
        }
        if (o.maxPayload != null) {
            long bytes = Values.parseSize("--max-payload", o.maxPayload);
            if (bytes < 512 || bytes > Integer.MAX_VALUE - 8) {
                throw new ConfigException("--max-payload: must be from 512 bytes to 2G, got '" + o.maxPayload + "'");
            }
            builder.maxPayload((int) bytes);
        }
        if (o.handshakeTimeout != null) {
            builder.handshakeTimeout(duration("--handshake-timeout", o.handshakeTimeout));
        }
        if (o.idleTimeout != null) {
            builder.idleTimeout(duration("--idle-timeout", o.idleTimeout));
        }
    }

    private static int atLeastOne(String option, int value) throws ConfigException {
        if (value < 1) {
            throw new ConfigException(option + ": must be at least 1, got " + value);
        }
        return value;
    }

    /** Seconds, optionally fractional, or a number followed by ms, s, m or h; 0 turns the limit off. */
    static Duration duration(String option, String text) throws ConfigException {
        String t = text.strip().toLowerCase(Locale.ROOT);
        String unit = t.endsWith("ms") ? "ms" : t.endsWith("s") ? "s" : t.endsWith("m") ? "m" : t.endsWith("h") ? "h" : "";
        try {
            BigDecimal number = new BigDecimal(t.substring(0, t.length() - unit.length()));
            BigDecimal millis = number.multiply(BigDecimal.valueOf(switch (unit) {
                case "ms" -> 1L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 1000L;
            }));
            if (millis.signum() < 0 || millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000)) > 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(millis.longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(option + ": cannot parse time '" + text
                    + "' (expected seconds, or a number with ms, s, m or h, e.g. 30s; 0 for no limit)");
        }
    }
}
