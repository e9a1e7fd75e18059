package io.nbd4j.server;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated client byte streams, from the first byte after the greeting to close, against
 * a whole in-memory connection. For each: no exception escapes the connection (none logged as
 * unexpected, none uncaught on any thread), the connection ends within a deadline once the client
 * closes, and memory stays bounded (declared lengths are capped before anything is allocated).
 * After all of them the platform threads are back to the baseline and direct memory is bounded
 * ({@link FuzzHarness}).
 *
 * <p>Tries are sized for about a minute in the normal build; {@code -Dnbd4j.fuzz.tries=N} (see
 * SECURITY.md) runs N more streams of each kind. The regression corpus in
 * {@code src/test/resources/fuzz-corpus} is replayed every time.
 */
class ConnectionFuzzTest {
    private static FuzzHarness harness;

    @BeforeContainer
    static void startServer() throws Exception {
        harness = FuzzHarness.start(ServerFixture.builder(new RamDisk(NbdStreams.DISK_SIZE)).maxPayload(NbdStreams.MAX_PAYLOAD));
    }

    @AfterContainer
    static void stopServerAndCheckForLeaks() throws InterruptedException {
        harness.stopAndCheckForLeaks();
        System.out.println("ConnectionFuzzTest: " + harness.inputs() + " inputs fuzzed");
    }

    static void check(byte[] input) throws Exception {
        harness.check(input);
    }

    @Property(tries = 30_000)
    void handshakeStreamsEndCleanly(@ForAll("handshakes") byte[] input) throws Exception {
        check(input);
    }

    @Property(tries = 30_000)
    void transmissionStreamsEndCleanly(@ForAll("transmissions") byte[] input) throws Exception {
        check(input);
    }

    @Property(tries = 5_000)
    void garbageEndsCleanly(@ForAll("garbage") byte[] input) throws Exception {
        check(input);
    }

    @Property(tries = 1)
    void regressionCorpusEndsCleanly() throws Exception {
        List<Path> corpus = corpus();
        assertThat(corpus).as("regression corpus").isNotEmpty();
        for (Path p : corpus) {
            check(HexFormat.of().parseHex(Files.readAllLines(p).stream()
                    .filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\s", "")).reduce("", String::concat)));
        }
    }

    /** The long run: {@code -Dnbd4j.fuzz.tries=N} feeds N streams of each generated kind. */
    @Property(tries = 1)
    void longRunWhenAsked() throws Exception {
        long tries = Long.getLong("nbd4j.fuzz.tries", 0);
        List<Arbitrary<byte[]>> kinds = List.of(NbdStreams.handshakes(), NbdStreams.transmissions(), NbdStreams.garbage());
        for (Arbitrary<byte[]> kind : kinds) {
            try (Stream<byte[]> inputs = kind.sampleStream().limit(tries)) {
                for (byte[] input : (Iterable<byte[]>) inputs::iterator) {
                    check(input);
                }
            }
        }
    }

    private static List<Path> corpus() {
        try (Stream<Path> files = Files.list(Path.of(ConnectionFuzzTest.class.getResource("/fuzz-corpus").toURI()))) {
            return files.filter(f -> f.toString().endsWith(".hex")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> handshakes() {
        return NbdStreams.handshakes();
    }

    @Provide
    Arbitrary<byte[]> transmissions() {
        return NbdStreams.transmissions();
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return NbdStreams.garbage();
    }
}
