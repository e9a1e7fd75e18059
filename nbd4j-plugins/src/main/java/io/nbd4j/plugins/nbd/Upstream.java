package io.nbd4j.plugins.nbd;

import io.nbd4j.client.NbdAddress;
import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdNegotiation;
import io.nbd4j.client.TlsOptions;
import io.nbd4j.protocol.Info;
import io.nbd4j.protocol.MetaContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;

/**
 * How to reach the server the plugin forwards to: its address, TLS, and how often to retry a
 * connection that fails (nbdkit's {@code retry=N}: N more tries, one second apart). Every connection
 * asks for extended headers, structured replies, {@code base:allocation} and the export's name,
 * description and block sizes, so that all of it can be passed on; each retry is counted in {@code counts}.
 * Immutable; any thread.
 */
record Upstream(NbdAddress address, TlsOptions tls, int retries, ConnectionCounts counts) {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** Bounds how long closing a client connection waits for the server to answer its last requests. */
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Opens a connection to export {@code exportName} and enters the transmission phase. */
    NbdClient connect(String exportName) throws IOException {
        NbdClient.Options options = options().exportName(exportName).build();
        return withRetries(() -> NbdClient.connect(address, options));
    }

    /** Opens a connection that stays in option mode, for listing exports and asking for their names. */
    NbdNegotiation negotiate() throws IOException {
        NbdClient.Options options = options().build();
        return withRetries(() -> NbdNegotiation.open(address, options));
    }

    private NbdClient.Options.Builder options() {
        return NbdClient.Options.builder()
                .extendedHeaders(true)
                .structuredReplies(true)
                .metaContexts(List.of(MetaContexts.BASE_ALLOCATION))
                .infoRequests(List.of(Info.NAME, Info.DESCRIPTION, Info.BLOCK_SIZE))
                .disconnectTimeout(DISCONNECT_TIMEOUT)
                .tls(tls);
    }

    private interface Attempt<T> {
        T run() throws IOException;
    }

    private <T> T withRetries(Attempt<T> attempt) throws IOException {
        for (int tried = 0; ; tried++) {
            try {
                return attempt.run();
            } catch (IOException e) {
                if (tried >= retries) {
                    throw e;
                }
                LOG.info("nbd: connecting to {} failed ({}); retrying in {} s ({} of {})", address, e.getMessage(),
                        RETRY_DELAY.toSeconds(), tried + 1, retries);
                pause();
                counts.retried();
            }
        }
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(RETRY_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted between connection attempts");
        }
    }
}
