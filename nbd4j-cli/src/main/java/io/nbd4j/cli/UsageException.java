package io.nbd4j.cli;

/** A command-line combination that cannot work, e.g. {@code -s} with {@code --run}. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
