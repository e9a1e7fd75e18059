package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ErrorCode;
import io.nbd4j.protocol.MetaContexts;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every transmission command against nbdkit's memory plugin with structured replies and base:allocation.
 * The log filter records the flags nbdkit received, so tests can prove a flag reached the server. Each test
 * uses its own region of the shared 64 MiB disk.
 */
class TransmissionTest {
    private static final long SIZE = 64L << 20;
    private static final int MIB = 1 << 20;
    private static ExternalServer server;
    private NbdClient client;

    @BeforeAll
    static void startServer() {
        server = ExternalServer.nbdkit("--filter=log", "memory", "64M", "logfile={dir}/requests.log");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        client = server.connect();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    @Test
    void negotiatesStructuredRepliesBaseAllocationAndReportsExportFlags() {
        assertThat(client.size()).isEqualTo(SIZE);
        assertThat(client.structuredRepliesNegotiated()).isTrue();
        assertThat(client.extendedHeadersNegotiated()).isFalse();
        assertThat(client.metaContexts()).extracting(MetaContext::name).containsExactly(MetaContexts.BASE_ALLOCATION);
        assertThat(client.isReadOnly()).isFalse();
        assertThat(client.canFlush()).isTrue();
        assertThat(client.canFua()).isTrue();
        assertThat(client.canTrim()).isTrue();
        assertThat(client.canZero()).isTrue();
        assertThat(client.canFastZero()).isTrue();
        assertThat(client.canCache()).isTrue();
        assertThat(client.canMultiConn()).isTrue();
    }

    @Test
    void writtenBytesReadBackUnchanged() throws Exception {
        byte[] data = randomBytes(3 * 4096 + 17, 1);
        client.pwrite(data, 1 * MIB + 5);

        assertThat(client.pread(1 * MIB + 5, data.length)).isEqualTo(data);
    }

    @Test
    void readFillsOnlyTheTargetRangeOfTheBufferAndKeepsItsPosition() throws Exception {
        client.pwrite(new byte[] {1, 2, 3, 4}, 2 * MIB);
        ByteBuffer buffer = ByteBuffer.allocateDirect(8);
        buffer.position(2).limit(6);

        client.pread(buffer, 2 * MIB);

        assertThat(buffer.position()).isEqualTo(2);
        assertThat(buffer.limit()).isEqualTo(6);
        byte[] all = new byte[8];
        buffer.clear().get(all);
        assertThat(all).containsExactly(0, 0, 1, 2, 3, 4, 0, 0);
    }

    @Test
    void writeLeavesTheSourceBufferPositionUnchanged() throws Exception {
        ByteBuffer source = ByteBuffer.wrap(new byte[] {5, 6, 7});

        client.pwrite(source, 3 * MIB, 0);

        assertThat(source.position()).isZero();
        assertThat(client.pread(3 * MIB, 3)).containsExactly(5, 6, 7);
    }

    @Test
    void fuaWriteReachesTheServerWithFua() throws Exception {
        client.pwrite(ByteBuffer.wrap(randomBytes(512, 2)), 4 * MIB + 512, CommandFlags.FUA);

        assertThat(logLines("Write")).anyMatch(line -> line.contains("offset=0x400200") && line.contains("fua=1"));
    }

    @Test
    void flushAndCacheSucceedAndReachTheServer() throws Exception {
        client.flush();
        client.cache(65536, 5 * MIB);

        assertThat(logLines("Flush")).isNotEmpty();
        assertThat(logLines("Cache")).anyMatch(line -> line.contains("offset=0x500000 count=0x10000"));
    }

    @Test
    void trimmedRangeReadsAsZeroesAndBlockStatusReportsAHole() throws Exception {
        long base = 6L * MIB;
        client.pwrite(randomBytes(131072, 3), base);

        client.trim(65536, base, 0);

        assertThat(client.pread(base, 65536)).isEqualTo(new byte[65536]);
        List<Extent> extents = client.blockStatus(131072, base, 0);
        assertThat(extents.getFirst()).isEqualTo(new Extent(base, 65536,
                MetaContexts.STATE_HOLE | MetaContexts.STATE_ZERO));
        assertThat(extents.get(1).offset()).isEqualTo(base + 65536);
        assertThat(extents.get(1).isHole()).isFalse();
    }

    @Test
    void blockStatusWithReqOneReturnsOneExtentWithinTheRequest() throws Exception {
        long base = 7L * MIB;
        client.pwrite(randomBytes(4096, 4), base);

        List<Extent> extents = client.blockStatus(MIB, base, CommandFlags.REQ_ONE);

        assertThat(extents).singleElement().satisfies(extent -> {
            assertThat(extent.offset()).isEqualTo(base);
            assertThat(extent.length()).isBetween(1L, (long) MIB);
            assertThat(extent.isHole()).isFalse();
        });
    }

    @Test
    void zeroWithNoHoleReadsAsZeroesAndForbidsTheServerToTrim() throws Exception {
        long base = 8L * MIB;
        client.pwrite(randomBytes(8192, 5), base);

        client.zero(8192, base, CommandFlags.NO_HOLE);

        assertThat(client.pread(base, 8192)).isEqualTo(new byte[8192]);
        assertThat(logLines("Zero")).anyMatch(line -> line.contains("offset=0x800000") && line.contains("trim=0"));
    }

    @Test
    void zeroWithFastZeroAndFuaPassesBothFlags() throws Exception {
        long base = 9L * MIB;
        client.pwrite(randomBytes(4096, 6), base);

        client.zero(4096, base, CommandFlags.FAST_ZERO | CommandFlags.FUA);

        assertThat(client.pread(base, 4096)).isEqualTo(new byte[4096]);
        assertThat(logLines("Zero")).anyMatch(line -> line.contains("offset=0x900000")
                && line.contains("trim=1") && line.contains("fua=1") && line.contains("fast=1"));
        assertThat(client.blockStatus(4096, base, 0).getFirst().isZero()).isTrue();
    }

    @Test
    void writePastTheEndFailsWithEnospc() {
        assertThatThrownBy(() -> client.pwrite(new byte[512], SIZE))
                .isInstanceOfSatisfying(NbdClientException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.ENOSPC));
    }

    @Test
    void readAndTrimPastTheEndFailWithEinvalAndTheConnectionStaysUsable() throws Exception {
        assertThatThrownBy(() -> client.pread(SIZE - 256, 512))
                .isInstanceOfSatisfying(NbdClientException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.EINVAL));
        assertThatThrownBy(() -> client.trim(512, SIZE, 0))
                .isInstanceOfSatisfying(NbdClientException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.EINVAL));

        client.pwrite(new byte[] {42}, 10L * MIB);
        assertThat(client.pread(10L * MIB, 1)).containsExactly(42);
    }

    @Test
    void eightThreadsPipeliningOnOneConnectionEachReadTheirOwnData() throws Exception {
        int threads = 8;
        int requestsPerThread = 64;
        int blockSize = 4096;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = 16L * MIB + (long) t * requestsPerThread * blockSize;
                int seed = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> writes = new ArrayList<>();
                    List<byte[]> written = new ArrayList<>();
                    for (int i = 0; i < requestsPerThread; i++) {
                        byte[] block = randomBytes(blockSize, seed * 1000 + i);
                        written.add(block);
                        writes.add(client.pwriteAsync(ByteBuffer.wrap(block), base + (long) i * blockSize, 0));
                    }
                    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
                    List<ByteBuffer> reads = new ArrayList<>();
                    List<CompletableFuture<Void>> pending = new ArrayList<>();
                    for (int i = 0; i < requestsPerThread; i++) {
                        ByteBuffer target = ByteBuffer.allocate(blockSize);
                        reads.add(target);
                        pending.add(client.preadAsync(target, base + (long) i * blockSize, 0));
                    }
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    for (int i = 0; i < requestsPerThread; i++) {
                        assertThat(reads.get(i).array()).as("thread %d block %d", seed, i).isEqualTo(written.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }
    }

    @Test
    void requestsAfterCloseFailWithoutAServerError() throws Exception {
        client.close();

        assertThatThrownBy(() -> client.pread(0, 512))
                .isInstanceOfSatisfying(NbdClientException.class,
                        e -> assertThat(e.error()).isEqualTo(NbdClientException.NO_ERROR_VALUE));
    }

    private static List<String> logLines(String operation) throws Exception {
        return Files.readAllLines(server.dir().resolve("requests.log")).stream()
                .filter(line -> line.contains(" " + operation + " id=")).toList();
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        if (Arrays.equals(data, new byte[length])) {
            data[0] = 1;
        }
        return data;
    }
}
