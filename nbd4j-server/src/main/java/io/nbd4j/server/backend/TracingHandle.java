package io.nbd4j.server.backend;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.ZeroMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Stands in front of one layer's handle when {@code -v} traces the layers ({@link LayerTracing}): logs
 * each call with the connection and the layer's name, then makes it. Only put in place when tracing
 * is on, so an untraced server pays nothing. A read served from the layer's memory
 * ({@link #readView}) is logged as a read too.
 *
 * <p><b>Threads.</b> Adds no state; as thread-safe as the handle it wraps.
 */
final class TracingHandle implements Handle {
    static final Logger LOG = LoggerFactory.getLogger("io.nbd4j.backend");

    private final Handle handle;
    private final String prefix;
    private final LayerTracing tracing;

    TracingHandle(Handle handle, long connectionId, String layerName, LayerTracing tracing) {
        this.handle = handle;
        this.prefix = "conn " + connectionId + ": " + layerName + ": ";
        this.tracing = tracing;
    }

    /** Logs the open of a layer, before it happens (the handle does not exist yet). */
    static void open(long connectionId, String layerName, boolean readOnly, String exportName, boolean tls, LayerTracing tracing) {
        if (tracing.controlPath()) {
            LOG.debug("conn {}: {}: open readonly={} exportname=\"{}\" tls={}", connectionId, layerName,
                    readOnly ? 1 : 0, exportName, tls ? 1 : 0);
        }
    }

    private void control(String call) {
        if (tracing.controlPath()) {
            LOG.debug("{}{}", prefix, call);
        }
    }

    private void data(String call, long count, long offset, int flags) {
        if (tracing.dataPath()) {
            LOG.debug("{}{} count={} offset={} flags=0x{}", prefix, call, count, offset, Integer.toHexString(flags));
        }
    }

    @Override public void prepare(boolean readOnly) throws IOException { control("prepare readonly=" + (readOnly ? 1 : 0)); handle.prepare(readOnly); }
    @Override public void finish() throws IOException { control("finalize"); handle.finish(); }
    @Override public void close() { control("close"); handle.close(); }

    @Override public long size() throws IOException { control("get_size"); return handle.size(); }
    @Override public String description() throws IOException { control("export_description"); return handle.description(); }
    @Override public BlockSize blockSize() throws IOException { control("block_size"); return handle.blockSize(); }
    @Override public boolean canWrite() throws IOException { control("can_write"); return handle.canWrite(); }
    @Override public boolean canFlush() throws IOException { control("can_flush"); return handle.canFlush(); }
    @Override public boolean isRotational() throws IOException { control("is_rotational"); return handle.isRotational(); }
    @Override public boolean canTrim() throws IOException { control("can_trim"); return handle.canTrim(); }
    @Override public boolean canZero() throws IOException { control("can_zero"); return handle.canZero(); }
    @Override public ZeroMode zeroMode() throws IOException { control("can_zero"); return handle.zeroMode(); }
    @Override public boolean canFastZero() throws IOException { control("can_fast_zero"); return handle.canFastZero(); }
    @Override public FuaMode canFua() throws IOException { control("can_fua"); return handle.canFua(); }
    @Override public CacheMode canCache() throws IOException { control("can_cache"); return handle.canCache(); }
    @Override public boolean canExtents() throws IOException { control("can_extents"); return handle.canExtents(); }
    @Override public boolean canMultiConn() throws IOException { control("can_multi_conn"); return handle.canMultiConn(); }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        data("pread", buffer.remaining(), offset, flags);
        handle.pread(buffer, offset, flags);
    }

    @Override
    public ByteBuffer readView(long offset, int length) throws IOException {
        ByteBuffer view = handle.readView(offset, length);
        if (view != null) {
            data("pread", length, offset, 0);
        }
        return view;
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        data("pwrite", buffer.remaining(), offset, flags);
        handle.pwrite(buffer, offset, flags);
    }

    @Override
    public void flush(int flags) throws IOException {
        if (tracing.dataPath()) {
            LOG.debug("{}flush flags=0x{}", prefix, Integer.toHexString(flags));
        }
        handle.flush(flags);
    }

    @Override public void trim(long length, long offset, int flags) throws IOException { data("trim", length, offset, flags); handle.trim(length, offset, flags); }
    @Override public void zero(long length, long offset, int flags) throws IOException { data("zero", length, offset, flags); handle.zero(length, offset, flags); }
    @Override public void cache(long length, long offset, int flags) throws IOException { data("cache", length, offset, flags); handle.cache(length, offset, flags); }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        data("extents", length, offset, flags);
        handle.extents(length, offset, flags, extents);
    }
}
