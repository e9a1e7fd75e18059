package io.nbd4j.spi;

import java.io.IOException;

/**
 * What the layers beneath a filter answer to a question about exports, asked only when {@link #get()}
 * is called (nbdkit's filters call {@code next} the same way), so a filter can answer without them.
 *
 * @param <T> the answer's type
 */
@FunctionalInterface
public interface BelowAnswer<T> {
    /** Asks the layers beneath; each call asks again unless the server already knows the answer. */
    T get() throws IOException;
}
