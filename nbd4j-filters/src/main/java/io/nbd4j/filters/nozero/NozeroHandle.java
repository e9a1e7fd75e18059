package io.nbd4j.filters.nozero;

import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.ZeroMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The nozero filter for one connection: answers {@link #zeroMode()} and {@link #canFastZero()} as the
 * modes say, and rewrites the flags of the zero requests that still reach it. With
 * {@code zeromode=emulate} the server writes the zeroes through this layer ({@link ZeroMode#EMULATE}),
 * except with {@code fastzeromode=ignore}, where a fast zero must be written too, which only this
 * layer may do, so it answers native and writes them itself.
 *
 * <p><b>Threads.</b> Immutable; safe under any thread model.
 */
final class NozeroHandle extends SameDataHandle {
    private static final int WRITE_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(WRITE_CHUNK).asReadOnlyBuffer();

    private final ZeroFilterMode mode;
    private final FastZeroMode fast;

    NozeroHandle(Next next, ZeroFilterMode mode, FastZeroMode fast) {
        super(next);
        this.mode = mode;
        this.fast = fast;
    }

    /** {@code notrim} and {@code plugin} pass zero requests down, so the layer below must not hide them. */
    @Override
    public void prepare(boolean readOnly) throws IOException {
        if (!readOnly && (mode == ZeroFilterMode.NOTRIM || mode == ZeroFilterMode.PLUGIN)
                && next.zeroMode() == ZeroMode.NONE) {
            throw new NbdException(NbdError.EINVAL, "nozero: zeromode=" + mode.name().toLowerCase(Locale.ROOT)
                    + " needs a plugin with write-zeroes support");
        }
    }

    @Override
    public ZeroMode zeroMode() throws IOException {
        return switch (mode) {
            case NONE -> ZeroMode.NONE;
            case EMULATE -> fast == FastZeroMode.IGNORE ? ZeroMode.NATIVE : ZeroMode.EMULATE;
            case NOTRIM, PLUGIN -> next.zeroMode();
        };
    }

    @Override
    public boolean canZero() throws IOException {
        return zeroMode() == ZeroMode.NATIVE;
    }

    @Override
    public boolean canFastZero() throws IOException {
        if (mode == ZeroFilterMode.NONE) {
            return false;
        }
        if (mode != ZeroFilterMode.EMULATE && fast == FastZeroMode.DEFAULT) {
            return next.canFastZero();
        }
        return fast != FastZeroMode.NONE;
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        if (Flags.has(flags, Flags.FAST_ZERO)) {
            if (fast == FastZeroMode.SLOW || (fast == FastZeroMode.DEFAULT && mode == ZeroFilterMode.EMULATE)) {
                throw new NbdException(NbdError.ENOTSUP, "nozero: fast zero is refused (fastzeromode="
                        + fast.name().toLowerCase(Locale.ROOT) + ")");
            }
            if (fast == FastZeroMode.IGNORE) {
                flags &= ~Flags.FAST_ZERO;
            }
        }
        if (mode == ZeroFilterMode.NOTRIM) {
            flags &= ~Flags.MAY_TRIM;
        }
        if (mode == ZeroFilterMode.EMULATE) {
            writeZeroes(length, offset, flags & Flags.FUA);
        } else {
            next.zero(length, offset, flags);
        }
    }

    /**
     * Writes zeroes in chunks. FUA, if asked, goes with every chunk when the layer below has it natively;
     * when it is emulated, with the last one only, whose flush makes all of them durable.
     */
    private void writeZeroes(long length, long offset, int fua) throws IOException {
        boolean eachChunk = fua != 0 && next.canFua() == FuaMode.NATIVE;
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(WRITE_CHUNK, length - done);
            boolean last = done + n == length;
            next.pwrite(ZEROES.duplicate().limit(n), offset + done, last || eachChunk ? fua : 0);
            done += n;
        }
    }
}
