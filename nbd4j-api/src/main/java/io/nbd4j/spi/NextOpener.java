package io.nbd4j.spi;

import java.io.IOException;

/**
 * Opens the layers below a filter for one connection. A filter calls {@link #open} at most once per
 * {@link Filter#open} unless it failed: then it may try again (after a delay, as the retry filters
 * do), whatever the failed attempt opened below having been closed. It may keep the opener to
 * {@link #reopen} those layers later.
 */
@FunctionalInterface
public interface NextOpener {
    /** Opens the layers below; the server prepares, finishes and closes them. */
    Next open(OpenRequest request) throws IOException;

    /**
     * Replaces the layers below this filter with freshly opened ones, for the rest of the connection
     * (nbdkit's {@code nbdkit_context_set_next}): the way to recover when the layer below failed, as
     * the retry filter does. May be called once {@link Filter#open} has returned, from any later call
     * of the connection ({@code prepare}, a data call, {@code finish}), as often as needed.
     *
     * <p>In order: the old layers below are finished (those that were prepared) and closed, their
     * failures only logged; the new ones are opened with {@code request} (which may differ from the
     * first, e.g. {@link OpenRequest#readOnlyBelow()} after a failed write), prepared inner to outer,
     * and asked every capability once. The server finishes and closes the new layers when the
     * connection ends, as it would have the old ones. The returned {@link Next} replaces the old one,
     * which from now on fails every call with {@link NbdError#ESHUTDOWN}; note that
     * {@link FilterHandle#next()} keeps the old one, so a filter that reopens holds its {@code Next}
     * in a field of its own.
     *
     * <p><b>Threads.</b> The old layers are closed under any request of this connection still running
     * in them, which then fails with {@code ESHUTDOWN} or worse. The filter must make sure nothing else
     * is inside the layers below while it reopens: declare {@link ThreadModel#SERIALIZE_REQUESTS} (or
     * stricter), or hold a read-write lock whose read side covers each call to the layer below and
     * whose write side covers the reopen, and retry what failed with {@code ESHUTDOWN} meanwhile.
     * The filter's capability answers, cached by the server, do not change: a new layer below that
     * answers differently (read-only now) must be dealt with by the filter.
     *
     * @return the new layers below, opened and prepared
     * @throws IOException if opening or preparing the new layers failed; nothing is open below the
     *                     filter then, and calling {@code reopen} again may still succeed
     * @throws UnsupportedOperationException from an opener outside a server that cannot reopen
     *                     (a test's lambda)
     */
    default Next reopen(OpenRequest request) throws IOException {
        throw new UnsupportedOperationException("this opener cannot reopen the layers below");
    }
}
