package io.nbd4j.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReadAheadStreamTest {
    /** A stream over fixed bytes that hands out at most {@code piece} bytes a read and records the room it was given. */
    static final class PiecewiseStream implements ByteStream {
        final byte[] data;
        final int piece;
        final List<Integer> asked = new ArrayList<>();
        int at;

        PiecewiseStream(byte[] data, int piece) {
            this.data = data;
            this.piece = piece;
        }

        @Override
        public int read(ByteBuffer dst) {
            asked.add(dst.remaining());
            if (at == data.length) {
                return -1;
            }
            int n = Math.min(piece, Math.min(dst.remaining(), data.length - at));
            dst.put(data, at, n);
            at += n;
            return n;
        }

        @Override
        public void write(ByteBuffer... sources) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void shutdownOutput() {}

        @Override
        public void close() {}
    }

    private static byte[] take(ReadAheadStream in, int length) throws IOException {
        ByteBuffer target = ByteBuffer.allocate(length);
        Transport.readFully(in, target);
        return target.array();
    }

    private static byte[] slice(byte[] data, int from, int length) {
        byte[] part = new byte[length];
        System.arraycopy(data, from, part, 0, length);
        return part;
    }

    @Test
    void headersSmallPayloadsAndBulkDataComeOutInOrderWhateverPiecesTheStreamGives() throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        int[] lengths = {32, 8, 262144, 32, 8, 4096, 32, 4096, 16, 300000, 32, 8, 70000, 16};
        for (int piece : new int[] {1000, 65536, 200000}) {
            ReadAheadStream in = new ReadAheadStream(new PiecewiseStream(data, piece));
            int at = 0;
            for (int length : lengths) {
                assertThat(take(in, length)).as("%d bytes at %d, pieces of %d", length, at, piece)
                        .isEqualTo(slice(data, at, length));
                at += length;
            }
        }
    }

    @Test
    void afterBulkDataOnlyTheNextHeaderIsReadAheadSoItsDataGoStraightToTheTarget() throws IOException {
        byte[] data = new byte[2 * (32 + 262144)];
        new Random(5).nextBytes(data);
        PiecewiseStream stream = new PiecewiseStream(data, Integer.MAX_VALUE);
        ReadAheadStream in = new ReadAheadStream(stream);
        take(in, 32);
        take(in, 262144);
        stream.asked.clear();
        assertThat(take(in, 32)).isEqualTo(slice(data, 32 + 262144, 32));
        assertThat(stream.asked).containsExactly(ReadAheadStream.AFTER_BULK_BYTES);
        stream.asked.clear();
        assertThat(take(in, 262144)).isEqualTo(slice(data, 2 * 32 + 262144, 262144));
        assertThat(stream.asked).containsExactly(262144 - (ReadAheadStream.AFTER_BULK_BYTES - 32));
    }
}
