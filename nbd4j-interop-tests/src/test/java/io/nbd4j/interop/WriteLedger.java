package io.nbd4j.interop;

import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.protocol.CommandFlags;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What one writer did to the blocks it owns, for checking a disk afterwards. Each written block is
 * filled with a self-describing pattern (owner, block number, sequence number), so the checker can
 * tell which write it holds. Per block it records every write issued and the newest one that was
 * made durable: acknowledged with FUA, or acknowledged before a flush that was then acknowledged.
 * Used by its one writer thread; read by the checker after that thread ended.
 * ({@link #acknowledgedWrites} may also be polled meanwhile.)
 */
final class WriteLedger {
    static final int BLOCK = 4096;
    static final int EIO = 5;

    private final int owner;
    private final long firstBlock;
    private final int blocks;
    private final long[] lastIssued;
    private final long[] lastAcknowledged;
    private final long[] durable;
    private final List<long[]> acknowledgedSinceFlush = new ArrayList<>();
    private long sequence;
    private volatile long acknowledgedWrites;   // one writer; also polled for progress by another thread

    WriteLedger(int owner, long firstBlock, int blocks) {
        this.owner = owner;
        this.firstBlock = firstBlock;
        this.blocks = blocks;
        this.lastIssued = new long[blocks];
        this.lastAcknowledged = new long[blocks];
        this.durable = new long[blocks];
    }

    int blocks() {
        return blocks;
    }

    long offsetOf(int block) {
        return (firstBlock + block) * BLOCK;
    }

    /** Starts a write to {@code block}: returns its data. */
    byte[] issue(int block) {
        long seq = ++sequence;
        lastIssued[block] = seq;
        return pattern(block, seq);
    }

    static long sequenceIn(byte[] data) {
        return ByteBuffer.wrap(data).getLong(12);
    }

    void acknowledged(int block, byte[] data, boolean fua) {
        long seq = sequenceIn(data);
        acknowledgedWrites = acknowledgedWrites + 1;
        lastAcknowledged[block] = Math.max(lastAcknowledged[block], seq);
        if (fua) {
            durable[block] = Math.max(durable[block], seq);
        } else {
            acknowledgedSinceFlush.add(new long[] {block, seq});
        }
    }

    /** Call before sending a flush: the writes acknowledged so far are the ones it covers. */
    private List<long[]> flushStarts() {
        List<long[]> covered = List.copyOf(acknowledgedSinceFlush);
        acknowledgedSinceFlush.clear();
        return covered;
    }

    private void flushAcknowledged(List<long[]> covered) {
        for (long[] w : covered) {
            durable[(int) w[0]] = Math.max(durable[(int) w[0]], w[1]);
        }
    }

    /**
     * Sends up to {@code count} pipelined writes to distinct random blocks (two writes in flight to
     * one block could land in either order), one in {@code fuaOneIn} with FUA, and records each as
     * its reply arrives.
     */
    void writeBatch(NbdClient client, SplittableRandom random, int count, int fuaOneIn) throws Exception {
        writeBatch(client, random, count, fuaOneIn, false);
    }

    /**
     * Like {@link #writeBatch(NbdClient, SplittableRandom, int, int)}; with {@code errorsInjected}, a write the
     * server fails with EIO (the error filter's doing, before the write reached the disk) is not
     * acknowledged, so the block must still hold what it held.
     */
    void writeBatch(NbdClient client, SplittableRandom random, int count, int fuaOneIn, boolean errorsInjected) throws Exception {
        List<int[]> sent = new ArrayList<>();   // block, fua
        List<byte[]> data = new ArrayList<>();
        List<CompletableFuture<Void>> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int block = random.nextInt(blocks);
            if (sent.stream().anyMatch(b -> b[0] == block)) {
                continue;
            }
            boolean fua = random.nextInt(fuaOneIn) == 0;
            byte[] d = issue(block);
            sent.add(new int[] {block, fua ? 1 : 0});
            data.add(d);
            replies.add(client.pwriteAsync(ByteBuffer.wrap(d), offsetOf(block), fua ? CommandFlags.FUA : 0));
        }
        for (int i = 0; i < replies.size(); i++) {
            try {
                replies.get(i).get();
            } catch (ExecutionException e) {
                if (errorsInjected && e.getCause() instanceof NbdClientException failed && failed.error() == EIO) {
                    continue;
                }
                throw e;
            }
            acknowledged(sent.get(i)[0], data.get(i), sent.get(i)[1] == 1);
        }
    }

    /** Sends a flush and, once acknowledged, marks the writes acknowledged before it as durable. */
    void flush(NbdClient client) throws Exception {
        List<long[]> covered = flushStarts();
        client.flush();
        flushAcknowledged(covered);
    }

    /** Blocks that must hold a durable write (or a newer one) after a crash. */
    long blocksWithADurableWrite() {
        return java.util.Arrays.stream(durable).filter(seq -> seq > 0).count();
    }

    long acknowledgedWrites() {
        return acknowledgedWrites;
    }

    /**
     * Checks one block as read back. {@code afterCrash}: the block may hold any write issued at or after
     * the durable one; otherwise (clean shutdown) exactly the last acknowledged one.
     *
     * @return null when the block is acceptable, else what is wrong
     */
    String check(int block, byte[] data, boolean afterCrash) {
        long required = afterCrash ? durable[block] : lastAcknowledged[block];
        if (required == 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int foundOwner = b.getInt();
        long foundBlock = b.getLong();
        long seq = b.getLong();
        if (foundOwner != owner || foundBlock != firstBlock + block) {
            return "block " + (firstBlock + block) + " of writer " + owner + " holds foreign data";
        }
        if (!Arrays.equals(data, pattern(block, seq))) {
            return "block " + (firstBlock + block) + " is torn or corrupt";
        }
        boolean ok = afterCrash ? seq >= required && seq <= lastIssued[block] : seq == required;
        return ok ? null : "block " + (firstBlock + block) + " of writer " + owner + " holds write " + seq
                + " but write " + required + " was " + (afterCrash ? "made durable" : "acknowledged last");
    }

    private byte[] pattern(int block, long seq) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        while (b.hasRemaining()) {
            b.putInt(owner).putLong(firstBlock + block).putLong(seq).putLong(0x5eed_5eedL).putInt(~owner);   // 32 bytes
        }
        return b.array();
    }
}
