package io.nbd4j.server;

import io.nbd4j.filters.error.ErrorFilter;
import io.nbd4j.filters.testkit.Layers;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The server's transmission fuzzing ({@code ConnectionFuzzTest}) with {@code --filter=error
 * error-rate=10%} on the stack: a tenth of the calls that reach the filter fail, and still no
 * connection lets an exception escape, hangs, or leaks threads or memory. In the server's package to
 * share its fuzz harness (nbd4j-server's test jar); lean: a few thousand streams.
 */
class ErrorInjectedFuzzTest {
    private static FuzzHarness harness;

    @BeforeContainer
    static void startServer() throws Exception {
        ErrorFilter errors = Layers.configured(new ErrorFilter(), "error-rate=10%");
        harness = FuzzHarness.start(ServerFixture.builder(new RamDisk(NbdStreams.DISK_SIZE), errors)
                .maxPayload(NbdStreams.MAX_PAYLOAD));
    }

    @AfterContainer
    static void stopServerAndCheckForLeaks() throws InterruptedException {
        harness.stopAndCheckForLeaks();
    }

    @Property(tries = 3_000)
    void transmissionStreamsEndCleanlyWhileCallsFail(@ForAll("transmissions") byte[] input) throws Exception {
        harness.check(input);
    }

    @Provide
    Arbitrary<byte[]> transmissions() {
        return NbdStreams.transmissions();
    }
}
