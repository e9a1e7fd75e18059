package io.nbd4j.filters.fua;

import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The fua filter for one connection: rewrites the FUA flag of writes, zeroes and trims, and what FUA and
 * flush support is advertised, as the mode says.
 *
 * <p><b>Threads.</b> Stateless apart from the mode; safe under any thread model.
 */
final class FuaHandle extends FilterHandle {
    @FunctionalInterface
    private interface WriteCall {
        void run(int flags) throws IOException;
    }

    private final FuaFilterMode mode;

    FuaHandle(Next next, FuaFilterMode mode) {
        super(next);
        this.mode = mode;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        if (readOnly) {
            return;
        }
        switch (mode) {
            case EMULATE -> {
                if (!next.canFlush()) {
                    throw new NbdException(NbdError.EINVAL, "fua: fuamode=emulate needs a plugin that can flush");
                }
            }
            case NATIVE, FORCE -> {
                if (next.canFua() == FuaMode.NONE) {
                    throw new NbdException(NbdError.EINVAL,
                            "fua: fuamode=" + mode.word() + " needs a plugin that supports FUA");
                }
            }
            case NONE, PASS, DISCARD -> { }
        }
    }

    @Override
    public boolean canFlush() throws IOException {
        return mode == FuaFilterMode.FORCE || mode == FuaFilterMode.DISCARD || next.canFlush();
    }

    @Override
    public FuaMode canFua() throws IOException {
        return switch (mode) {
            case NONE -> FuaMode.NONE;
            case EMULATE -> FuaMode.EMULATE;
            case NATIVE, FORCE, DISCARD -> FuaMode.NATIVE;
            case PASS -> next.canFua();
        };
    }

    @Override
    public void flush(int flags) throws IOException {
        if (mode != FuaFilterMode.FORCE && mode != FuaFilterMode.DISCARD) {
            next.flush(flags);
        }
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        write(flags, f -> next.pwrite(buffer, offset, f));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        write(flags, f -> next.zero(length, offset, f));
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        write(flags, f -> next.trim(length, offset, f));
    }

    private void write(int flags, WriteCall call) throws IOException {
        boolean fua = Flags.has(flags, Flags.FUA);
        int without = flags & ~Flags.FUA;
        switch (mode) {
            // NONE: the server never sends FUA for it; a layer above that does anyway keeps its flag.
            case PASS, NONE -> call.run(flags);
            case DISCARD -> call.run(without);
            case EMULATE -> {
                call.run(without);
                if (fua) {
                    next.flush(0);
                }
            }
            case NATIVE -> durably(fua, without, call);
            case FORCE -> durably(true, without, call);
        }
    }

    /** Sends FUA down if the layer below takes it natively, else the operation and then a flush. */
    private void durably(boolean fua, int without, WriteCall call) throws IOException {
        if (!fua) {
            call.run(without);
        } else if (next.canFua() == FuaMode.NATIVE) {
            call.run(without | Flags.FUA);
        } else {
            call.run(without);
            next.flush(0);
        }
    }
}
