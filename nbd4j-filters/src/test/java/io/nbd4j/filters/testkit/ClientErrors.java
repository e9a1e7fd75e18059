package io.nbd4j.filters.testkit;

import io.nbd4j.client.NbdClientException;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The NBD error a client request ends with, for tests that expect one. Stateless. */
public final class ClientErrors {
    public static final int EPERM = 1;
    public static final int EIO = 5;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOTSUP = 95;

    /** One client request. */
    @FunctionalInterface
    public interface Request {
        void run() throws IOException;
    }

    private ClientErrors() {}

    /** The error number the server answered {@code request} with; fails the test if it succeeded. */
    public static int errorOf(Request request) throws IOException {
        try {
            request.run();
        } catch (NbdClientException e) {
            assertThat(e.error()).as("an NBD error reply, not a broken connection: %s", e.getMessage()).isPositive();
            return e.error();
        }
        return fail("the request succeeded, but an error was expected");
    }
}
