package io.nbd4j.filters.testkit;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A plugin handle that records every data call as a short line, e.g. {@code "pwrite 0+512 fua"}. */
public final class RecordingHandle implements Handle {
    private final List<String> calls = new ArrayList<>();
    private final boolean canFlush;
    private final FuaMode fua;

    public RecordingHandle(boolean canFlush, FuaMode fua) {
        this.canFlush = canFlush;
        this.fua = fua;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private synchronized void record(String op, long offset, long length, int flags) {
        calls.add(op + " " + offset + "+" + length + (Flags.has(flags, Flags.FUA) ? " fua" : ""));
    }

    @Override public long size() { return 1 << 20; }
    @Override public boolean canWrite() { return true; }
    @Override public boolean canFlush() { return canFlush; }
    @Override public boolean canTrim() { return true; }
    @Override public boolean canZero() { return true; }
    @Override public FuaMode canFua() { return fua; }
    @Override public CacheMode canCache() { return CacheMode.NATIVE; }

    @Override public void pread(ByteBuffer b, long offset, int flags) { record("pread", offset, b.remaining(), flags); }
    @Override public void pwrite(ByteBuffer b, long offset, int flags) { record("pwrite", offset, b.remaining(), flags); }
    @Override public void zero(long length, long offset, int flags) { record("zero", offset, length, flags); }
    @Override public void trim(long length, long offset, int flags) { record("trim", offset, length, flags); }
    @Override public void cache(long length, long offset, int flags) { record("cache", offset, length, flags); }

    @Override
    public synchronized void flush(int flags) {
        calls.add("flush");
    }
}
