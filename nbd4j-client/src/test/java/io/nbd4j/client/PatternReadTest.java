package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nbdkit's pattern plugin stores at every 8-byte aligned offset that offset as a big-endian number, so any
 * read can be checked without writing first. Run in both reply modes.
 */
class PatternReadTest {
    private static final int SIZE = 1 << 20;

    @ParameterizedTest(name = "structured replies: {0}")
    @ValueSource(booleans = {true, false})
    void concurrentUnalignedReadsFromEightThreadsReturnThePattern(boolean structured) throws Exception {
        String[] args = structured ? new String[] {"pattern", "1M"} : new String[] {"--no-sr", "pattern", "1M"};
        try (ExternalServer server = ExternalServer.nbdkit(args);
             NbdClient client = server.connect();
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            assertThat(client.structuredRepliesNegotiated()).isEqualTo(structured);
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> reads = new ArrayList<>();
                    List<ByteBuffer> targets = new ArrayList<>();
                    List<Long> offsets = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        long offset = (thread * 131_071L + i * 9_973L) % (SIZE - 5000);
                        ByteBuffer target = ByteBuffer.allocate(1 + (i * 37) % 5000);
                        targets.add(target);
                        offsets.add(offset);
                        reads.add(client.preadAsync(target, offset, 0));
                    }
                    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
                    for (int i = 0; i < targets.size(); i++) {
                        assertThat(targets.get(i).array()).isEqualTo(expectedPattern(offsets.get(i),
                                targets.get(i).capacity()));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }
    }

    private static byte[] expectedPattern(long offset, int length) {
        byte[] expected = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = offset + i;
            long word = at & ~7L;
            expected[i] = (byte) (word >>> (8 * (7 - (at & 7))));
        }
        return expected;
    }
}
