package io.nbd4j.filters.testkit;

import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A client connection of {@link FakeServer}, speaking in 8-byte blocks of {@link StaleCachePlugin}. Like
 * the server, it sends FUA down only when the top layer says {@link FuaMode#NATIVE} and otherwise does
 * the write and then a flush.
 */
public final class FakeConnection {
    private final Handle top;
    private final ServedNext pluginLayer;
    private boolean disconnected;

    FakeConnection(Handle top, ServedNext pluginLayer) {
        this.top = top;
        this.pluginLayer = pluginLayer;
    }

    public Handle top() {
        return top;
    }

    /** The plugin's handle for this connection. */
    public StaleCachePlugin.Connection plugin() {
        return (StaleCachePlugin.Connection) pluginLayer.handle();
    }

    public void write(int block, long value) throws IOException {
        write(block, value, false);
    }

    public void write(int block, long value, boolean fua) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(StaleCachePlugin.BLOCK).putLong(0, value);
        long offset = (long) block * StaleCachePlugin.BLOCK;
        if (!fua) {
            top.pwrite(b, offset, 0);
            return;
        }
        switch (top.canFua()) {
            case NATIVE -> top.pwrite(b, offset, Flags.FUA);
            case EMULATE -> {
                top.pwrite(b, offset, 0);
                top.flush(0);
            }
            case NONE -> throw new IllegalStateException("FUA is not advertised");
        }
    }

    public long read(int block) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(StaleCachePlugin.BLOCK);
        top.pread(b, (long) block * StaleCachePlugin.BLOCK, 0);
        return b.getLong(0);
    }

    public void flush() throws IOException {
        top.flush(0);
    }

    public boolean multiConn() throws IOException {
        return top.canMultiConn();
    }

    /** Ends the connection normally: finish outer to inner, then close outer to inner. */
    public void disconnect() throws IOException {
        if (disconnected) {
            return;
        }
        disconnected = true;
        try {
            top.finish();
            if (top != pluginLayer) {
                pluginLayer.finish();
            }
        } finally {
            top.close();
            if (top != pluginLayer) {
                pluginLayer.close();
            }
        }
    }

    /** Ends the connection as a vanished client does: close without finish. */
    public void drop() {
        disconnected = true;
        top.close();
        if (top != pluginLayer) {
            pluginLayer.close();
        }
    }
}
