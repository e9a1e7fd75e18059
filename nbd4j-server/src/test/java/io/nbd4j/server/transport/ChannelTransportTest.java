package io.nbd4j.server.transport;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelTransportTest {
    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] readExactly(ChannelTransport t, int n, boolean direct) throws IOException {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
        t.readFully(b);
        byte[] out = new byte[n];
        b.flip().get(out);
        return out;
    }

    @Test
    void smallAndLargeReadsOverReadAheadReturnTheStreamInOrder() throws Exception {
        int large = ChannelTransport.INPUT_BUFFER_BYTES * 3 + 17;
        byte[] stream = randomBytes(28 + 4096 + 28 + large + 28);
        Pipe pipe = Pipe.open();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (var sink = pipe.sink()) {
                ByteBuffer data = ByteBuffer.wrap(stream);
                while (data.hasRemaining()) {
                    sink.write(data);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        ChannelTransport t = new ChannelTransport(pipe.source(), Channels.newChannel(java.io.OutputStream.nullOutputStream()));

        ByteBuffer all = ByteBuffer.allocate(stream.length);
        all.put(readExactly(t, 28, true));
        all.put(readExactly(t, 4096, true));
        all.put(readExactly(t, 28, false));
        all.put(readExactly(t, large, true));
        all.put(readExactly(t, 28, true));
        writer.join();

        assertThat(all.array()).isEqualTo(stream);
        assertThatThrownBy(() -> readExactly(t, 1, true)).isInstanceOf(EOFException.class);
    }

    @Test
    void afterBulkDataOnlyTheNextHeaderIsReadAheadSoTheNextPayloadGoesStraightToItsBuffer() throws Exception {
        int payload = 262144;
        byte[] stream = randomBytes(2 * (32 + payload));
        List<Integer> asked = new ArrayList<>();
        ByteBuffer source = ByteBuffer.wrap(stream);
        ReadableByteChannel in = new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) {
                asked.add(dst.remaining());
                int n = Math.min(dst.remaining(), source.remaining());
                dst.put(source.slice(source.position(), n));
                source.position(source.position() + n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
        ChannelTransport t = new ChannelTransport(in, Channels.newChannel(java.io.OutputStream.nullOutputStream()));
        readExactly(t, 32, true);
        readExactly(t, payload, true);
        asked.clear();
        assertThat(readExactly(t, 32, true)).isEqualTo(Arrays.copyOfRange(stream, 32 + payload, 64 + payload));
        assertThat(asked).containsExactly(ChannelTransport.AFTER_BULK_BYTES);
        asked.clear();
        assertThat(readExactly(t, payload, true)).isEqualTo(Arrays.copyOfRange(stream, 64 + payload, stream.length));
        assertThat(asked).containsExactly(payload - (ChannelTransport.AFTER_BULK_BYTES - 32));
    }

    @Test
    void endOfStreamComesOnlyAfterTheBytesReadAheadAreDrained() throws Exception {
        Pipe pipe = Pipe.open();
        try (var sink = pipe.sink()) {
            sink.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
        }
        ChannelTransport t = new ChannelTransport(pipe.source(), Channels.newChannel(java.io.OutputStream.nullOutputStream()));

        assertThat(readExactly(t, 2, true)).containsExactly(1, 2);
        assertThat(readExactly(t, 3, true)).containsExactly(3, 4, 5);
        assertThat(t.readSome(ByteBuffer.allocate(8))).isEqualTo(-1);
    }

    /** A recording source: which buffers it handed out and which came back. */
    private static final class CountingSource implements BufferSource {
        final java.util.List<ByteBuffer> given = new java.util.ArrayList<>();
        final java.util.List<ByteBuffer> returned = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public ByteBuffer acquire(int size) {
            ByteBuffer b = ByteBuffer.allocateDirect(size);
            given.add(b);
            return b;
        }

        @Override
        public void release(ByteBuffer buffer) {
            returned.add(buffer);
        }
    }

    @Test
    void readAheadBufferGoesBackWhenTheReaderClosesTheTransport() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        CountingSource source = new CountingSource();
        ChannelTransport t = new ChannelTransport(pipe.source(), pipe.sink(), source);

        readExactly(t, 3, true);
        t.close();

        assertThat(source.given).hasSize(1);
        assertThat(source.returned).containsExactlyElementsOf(source.given);
    }

    /** Another thread's close may come while the reader still fills the buffer: only the reader gives it back. */
    @Test
    void closeFromAnotherThreadKeepsTheReadAheadBufferFromTheSource() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        CountingSource source = new CountingSource();
        ChannelTransport t = new ChannelTransport(pipe.source(), pipe.sink(), source);
        readExactly(t, 3, true);

        Thread.ofVirtual().start(t::close).join();

        assertThat(source.given).hasSize(1);
        assertThat(source.returned).isEmpty();
    }

    /**
     * The handshake runs on the small buffer, and a client idle after it holds only that; once the first
     * request arrives the next fill swaps in the large read-ahead buffer, and the small one goes back.
     */
    @Test
    void readAheadBufferIsTakenOnlyOnceRequestsStart() throws Exception {
        Pipe pipe = Pipe.open();
        CountingSource source = new CountingSource();
        ChannelTransport t = new ChannelTransport(pipe.source(), pipe.sink(), source);
        byte[] options = randomBytes(ChannelTransport.WAITING_BUFFER_BYTES * 3);
        pipe.sink().write(ByteBuffer.wrap(options));
        ByteBuffer got = ByteBuffer.allocate(options.length);
        for (int i = 0; i < options.length; i += 100) {
            got.put(readExactly(t, Math.min(100, options.length - i), true));
        }
        assertThat(got.array()).isEqualTo(options);
        assertThat(source.given).extracting(ByteBuffer::capacity).containsExactly(ChannelTransport.WAITING_BUFFER_BYTES);

        byte[] requests = randomBytes(28 + 4096 + 28);
        pipe.sink().write(ByteBuffer.wrap(requests));
        t.startRequests();
        got = ByteBuffer.allocate(requests.length);
        got.put(readExactly(t, 28, true)).put(readExactly(t, 4096, true)).put(readExactly(t, 28, true));

        assertThat(got.array()).isEqualTo(requests);
        assertThat(source.given).extracting(ByteBuffer::capacity)
                .containsExactly(ChannelTransport.WAITING_BUFFER_BYTES, ChannelTransport.INPUT_BUFFER_BYTES);
        assertThat(source.returned).containsExactly(source.given.get(0));
        t.close();
        assertThat(source.returned).containsExactlyElementsOf(source.given);
    }
}
