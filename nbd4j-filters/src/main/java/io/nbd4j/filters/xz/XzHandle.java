package io.nbd4j.filters.xz;

import io.nbd4j.filters.common.LayerReader;
import io.nbd4j.filters.common.DecodedImageHandle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.tukaani.xz.SeekableXZInputStream;
import org.tukaani.xz.XZFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection's view of an xz file in the layer below, decompressed (read-only, see
 * {@link DecodedImageHandle}). xz files can be entered only at
 * a block boundary, so a read decompresses each block it touches whole (from its start, through the
 * file's block index) and keeps the last {@code xz-max-depth} blocks it used, least recently used
 * dropped first.
 *
 * <p><b>Threads.</b> The decompressor and the block cache belong to this connection; data calls hold
 * this handle's monitor, so requests of one connection are decompressed one at a time (requests of
 * different connections run in parallel).
 */
final class XzHandle extends DecodedImageHandle {
    private final XzSettings settings;
    private SeekableXZInputStream xz;
    private Map<Integer, byte[]> blocks;

    XzHandle(Next next, XzSettings settings) {
        super(next);
        this.settings = settings;
    }

    @Override
    public synchronized void prepare(boolean readOnly) throws IOException {
        try {
            xz = new SeekableXZInputStream(new LayerSeekableStream(new LayerReader(next)));
        } catch (XZFormatException e) {
            throw new NbdException(NbdError.EIO, "xz: the layer below is not an xz file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, "xz: cannot read the xz file's index: " + e.getMessage(), e);
        }
        if (xz.getLargestBlockSize() > settings.maxBlock()) {
            throw new NbdException(NbdError.EINVAL, "xz: the file has a block of " + xz.getLargestBlockSize()
                    + " bytes, larger than xz-max-block=" + settings.maxBlock()
                    + " (recompress with smaller blocks, e.g. xz --block-size=16MiB, or raise xz-max-block)");
        }
        blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > settings.maxDepth();
            }
        };
    }

    @Override
    public synchronized long size() {
        return xz.length();
    }

    /** Where the zeroes are is not known without decompressing; every byte is reported as data. */
    @Override
    public boolean canExtents() {
        return false;
    }

    @Override
    public synchronized void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        int index = buffer.position();
        int end = buffer.limit();
        while (index < end) {
            int block = xz.getBlockNumber(offset);
            long blockStart = xz.getBlockPos(block);
            byte[] data = block(block);
            int from = (int) (offset - blockStart);
            int n = Math.min(end - index, data.length - from);
            buffer.put(index, data, from, n);
            index += n;
            offset += n;
        }
    }

    private byte[] block(int number) throws IOException {
        byte[] data = blocks.get(number);
        if (data == null) {
            data = new byte[(int) xz.getBlockSize(number)];
            try {
                xz.seekToBlock(number);
                int n = xz.readNBytes(data, 0, data.length);
                if (n != data.length) {
                    throw new IOException("block " + number + " ended after " + n + " of " + data.length + " bytes");
                }
            } catch (IOException e) {
                throw new NbdException(NbdError.EIO, "xz: decompressing block " + number + ": " + e.getMessage(), e);
            }
            blocks.put(number, data);
        }
        return data;
    }

    @Override
    public synchronized void close() {
        blocks = null;
        if (xz != null) {
            try {
                xz.close(false);
            } catch (IOException e) {
                // Nothing to release: the layer below is closed by the server, not through the stream.
            }
        }
    }
}
