package io.nbd4j.server.backend;

import java.io.IOException;

/**
 * One answer a layer gives once per connection (its size, a capability), asked on first use and kept.
 * A question that throws is not remembered: the next caller asks again.
 *
 * <p><b>Threads.</b> Thread-safe. Once known, the answer is read without locking; until then callers
 * serialize on this memo, so the question is asked by one thread at a time and answered once.
 *
 * @param <T> the answer's type; {@code null} is a valid answer (a layer without block sizes)
 */
final class Memo<T> {
    /** A question put to a layer; it runs under the layer's thread-model lock if it needs one. */
    @FunctionalInterface
    interface Question<T> {
        T ask() throws IOException;
    }

    private static final Object UNKNOWN = new Object();

    private final Question<T> question;
    private volatile Object answer = UNKNOWN;

    Memo(Question<T> question) {
        this.question = question;
    }

    @SuppressWarnings("unchecked")
    T get() throws IOException {
        Object known = answer;
        if (known == UNKNOWN) {
            synchronized (this) {
                known = answer;
                if (known == UNKNOWN) {
                    known = question.ask();
                    answer = known;
                }
            }
        }
        return (T) known;
    }
}
