package io.nbd4j.spi;

/**
 * A configuration mistake: an unknown or missing parameter, or a value that cannot be parsed. The
 * message is shown to the user as it is, so it names the parameter and, where there is a choice, the
 * accepted values.
 */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
