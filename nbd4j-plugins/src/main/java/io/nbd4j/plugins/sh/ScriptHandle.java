package io.nbd4j.plugins.sh;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * One connection of a script plugin: every call runs the script with the method name, the handle
 * string that {@code open} printed, and the method's arguments, and reads the answer back.
 *
 * <p>Missing methods (exit 2) get nbdkit's sh defaults, which differ from a Java plugin's: every
 * {@code can_*} is false unless the script says otherwise, {@code can_fua} follows {@code can_flush},
 * {@code can_fast_zero} is the opposite of {@code can_zero}, and a missing {@code zero} answers
 * ENOTSUP so that the server writes zeroes instead.
 *
 * <p>Threads: as many at once as the script's thread model allows; the handle string is immutable and
 * the two remembered answers are written at most once each (a race only repeats a script call).
 */
final class ScriptHandle implements Handle {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptHandle.class);

    private final MethodCaller caller;
    private final String handle;
    // can_fua and can_fast_zero fall back on these, so they are asked once per connection.
    private volatile Boolean canFlush;
    private volatile Boolean canZero;

    ScriptHandle(MethodCaller caller, String handle) {
        this.caller = caller;
        this.handle = handle;
    }

    /** The string the script's {@code open} printed, passed back as {@code $2}. */
    String handleString() {
        return handle;
    }

    @Override
    public void close() {
        try {
            caller.call("close", List.of(handle), null, null);
        } catch (NbdException e) {
            LOG.debug("{}: close failed (ignored): {}", caller.scriptFor("close"), e.getMessage());
        }
    }

    @Override
    public long size() throws IOException {
        String out = caller.text("get_size", handle);
        if (out == null) {
            throw new NbdException(NbdError.EIO, caller.scriptFor("get_size") + ": the get_size method is required");
        }
        return parseSize("get_size", OutputLines.chomp(out));
    }

    @Override
    public String description() throws IOException {
        String out = caller.text("export_description", handle);
        return out == null ? null : OutputLines.chomp(out);
    }

    @Override
    public BlockSize blockSize() throws IOException {
        String out = caller.text("block_size", handle);
        if (out == null) {
            return null;
        }
        String[] sizes = out.strip().split("\\s+");
        if (sizes.length != 3) {
            throw caller.badOutput("block_size", out);
        }
        long minimum = parseSize("block_size", sizes[0]);
        long preferred = parseSize("block_size", sizes[1]);
        long maximum = parseSize("block_size", sizes[2]);
        if (minimum == 0 && preferred == 0 && maximum == 0) {
            return null;
        }
        try {
            return new BlockSize(minimum, preferred, maximum);
        } catch (IllegalArgumentException e) {
            throw new NbdException(NbdError.EIO, caller.scriptFor("block_size") + ": block_size: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean canWrite() throws IOException {
        return bool("can_write");
    }

    @Override
    public boolean canFlush() throws IOException {
        Boolean answer = canFlush;
        if (answer == null) {
            answer = bool("can_flush");
            canFlush = answer;
        }
        return answer;
    }

    @Override
    public boolean isRotational() throws IOException {
        return bool("is_rotational");
    }

    @Override
    public boolean canTrim() throws IOException {
        return bool("can_trim");
    }

    @Override
    public boolean canZero() throws IOException {
        Boolean answer = canZero;
        if (answer == null) {
            answer = bool("can_zero");
            canZero = answer;
        }
        return answer;
    }

    @Override
    public boolean canFastZero() throws IOException {
        Boolean answer = caller.bool("can_fast_zero", handle);
        return answer != null ? answer : !canZero();
    }

    @Override
    public FuaMode canFua() throws IOException {
        String out = caller.text("can_fua", handle);
        if (out == null) {
            return canFlush() ? FuaMode.EMULATE : FuaMode.NONE;
        }
        return FuaMode.valueOf(choice("can_fua", out));
    }

    @Override
    public CacheMode canCache() throws IOException {
        String out = caller.text("can_cache", handle);
        return out == null ? CacheMode.NONE : CacheMode.valueOf(choice("can_cache", out));
    }

    @Override
    public boolean canExtents() throws IOException {
        return bool("can_extents");
    }

    @Override
    public boolean canMultiConn() throws IOException {
        return bool("can_multi_conn");
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        int count = buffer.remaining();
        ScriptRunner.Outcome outcome = caller.call("pread", List.of(handle, Integer.toString(count), Long.toString(offset)),
                null, buffer);
        switch (outcome.status()) {
            case MISSING -> throw new NbdException(NbdError.EIO, caller.scriptFor("pread") + ": the pread method is required");
            case FALSE -> throw caller.unexpectedFalse("pread");
            default -> {
                if (outcome.stdoutLength() != count) {
                    throw new NbdException(NbdError.EIO, caller.scriptFor("pread") + ": incorrect amount of data read: expecting "
                            + count + " bytes but received " + outcome.stdoutLength() + " bytes from the script");
                }
            }
        }
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        List<String> args = List.of(handle, Integer.toString(buffer.remaining()), Long.toString(offset), FlagWords.of(flags));
        if (!caller.action("pwrite", args, buffer)) {
            throw new NbdException(NbdError.EIO, caller.scriptFor("pwrite") + ": pwrite not implemented");
        }
    }

    @Override
    public void flush(int flags) throws IOException {
        caller.action("flush", handle);
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        caller.action("trim", rangeArgs(length, offset, flags), null);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        if (!caller.action("zero", rangeArgs(length, offset, flags), null)) {
            throw new NbdException(NbdError.ENOTSUP, "zero is missing from the script: falling back to pwrite");
        }
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        String out = caller.text("extents", handle, Long.toString(length), Long.toString(offset), FlagWords.of(flags));
        if (out == null) {
            throw new NbdException(NbdError.EIO, caller.scriptFor("extents")
                    + ": can_extents returned true, but extents method is not defined");
        }
        ExtentsParser.parse(caller.scriptFor("extents").toString(), out, extents);
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        caller.action("cache", handle, Long.toString(length), Long.toString(offset));
    }

    private List<String> rangeArgs(long length, long offset, int flags) {
        return List.of(handle, Long.toString(length), Long.toString(offset), FlagWords.of(flags));
    }

    private boolean bool(String method) throws NbdException {
        return Boolean.TRUE.equals(caller.bool(method, handle));
    }

    /** Reads none/emulate/native, the answer of can_fua and can_cache. */
    private String choice(String method, String out) throws NbdException {
        String word = OutputLines.chomp(out).toUpperCase(Locale.ROOT);
        return switch (word) {
            case "NONE", "EMULATE", "NATIVE" -> word;
            default -> throw caller.badOutput(method, out);
        };
    }

    private long parseSize(String method, String text) throws NbdException {
        try {
            return Values.parseSize(method, text);
        } catch (ConfigException e) {
            throw new NbdException(NbdError.EIO, caller.scriptFor(method) + ": could not parse output from " + method
                    + " method: " + text, e);
        }
    }
}
