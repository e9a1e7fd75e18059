package io.nbd4j.filters.log;

import io.nbd4j.filters.common.InterceptingHandle;
import io.nbd4j.filters.common.Operation;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.Extent;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs one connection: its capabilities once the layers below are ready ({@code Connect}), each data
 * call before and after it runs below ({@code Read id=N …} then {@code ...Read id=N return=0}), and
 * its end ({@code Disconnect transactions=N}).
 *
 * <p><b>Threads.</b> Calls run in parallel as the thread model allows; the call numbers come from an
 * atomic counter and each entry is written whole by {@link EventLog}, so nothing here holds a lock
 * while a call runs below.
 */
final class LogHandle extends InterceptingHandle {
    private final EventLog log;
    private final long connection;
    private final String exportName;
    private final boolean tls;
    private final AtomicLong ids = new AtomicLong();

    LogHandle(Next next, EventLog log, long connection, String exportName, boolean tls) {
        super(next);
        this.log = log;
        this.connection = connection;
        this.exportName = exportName;
        this.tls = tls;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        BlockSize blocks = next.blockSize();
        boolean write = next.canWrite();
        String fields = "export=" + ShellQuoting.quote(exportName)
                + " tls=" + bit(tls)
                + " size=0x" + Long.toHexString(next.size())
                + " minsize=0x" + Long.toHexString(blocks == null ? 0 : blocks.minimum())
                + " prefsize=0x" + Long.toHexString(blocks == null ? 0 : blocks.preferred())
                + " maxsize=0x" + Long.toHexString(blocks == null ? 0 : blocks.maximum())
                + " write=" + bit(write)
                + " flush=" + bit(next.canFlush())
                + " rotational=" + bit(next.isRotational())
                + " trim=" + bit(next.canTrim())
                // nbdkit's NBDKIT_ZERO_NONE, _EMULATE, _NATIVE; FUA and cache modes use the same 0, 1, 2
                + " zero=" + (!write ? 0 : next.canZero() ? 2 : 1)
                + " fua=" + next.canFua().ordinal()
                + " extents=" + bit(next.canExtents())
                + " cache=" + next.canCache().ordinal()
                + " fast_zero=" + bit(next.canFastZero());
        log.print(connection, "Connect", fields);
    }

    @Override
    public void finish() {
        log.print(connection, "Disconnect", "transactions=" + ids.get());
    }

    @Override
    protected void around(Operation operation, long offset, long length, int flags, Below below) throws IOException {
        long id = ids.incrementAndGet();
        String action = action(operation);
        log.enter(connection, id, action, fields(operation, offset, length, flags));
        try {
            below.call();
        } catch (IOException | RuntimeException e) {
            log.leave(connection, id, action, failed(e));
            throw e;
        }
        log.leave(connection, id, action, "return=0");
    }

    /** Also logs the extents the layer below reported, as nbdkit does: clipped to the request's start and the export's end, neighbours of one type merged. */
    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        long id = ids.incrementAndGet();
        log.enter(connection, id, "Extents", fields(Operation.EXTENTS, offset, length, flags));
        ExtentList seen = new ExtentList(offset, Math.max(offset, next.size()));
        try {
            next.extents(length, offset, flags, (o, l, type) -> {
                extents.add(o, l, type);
                seen.add(o, l, type);
            });
        } catch (IOException | RuntimeException e) {
            log.leave(connection, id, "Extents", failed(e));
            throw e;
        }
        StringBuilder list = new StringBuilder("extents=(");
        for (Extent e : seen.extents()) {
            if (list.length() > "extents=(".length()) {
                list.append(' ');
            }
            list.append("0x").append(Long.toHexString(e.offset())).append(" 0x").append(Long.toHexString(e.length()))
                    .append(" \"").append(e.isHole() ? (e.isZero() ? "hole,zero" : "hole") : e.isZero() ? "zero" : "")
                    .append('"');
        }
        log.leave(connection, id, "Extents", list.append(") return=0").toString());
    }

    private static String action(Operation operation) {
        return switch (operation) {
            case PREAD -> "Read";
            case PWRITE -> "Write";
            case ZERO -> "Zero";
            case TRIM -> "Trim";
            case FLUSH -> "Flush";
            case EXTENTS -> "Extents";
            case CACHE -> "Cache";
        };
    }

    private static String fields(Operation operation, long offset, long length, int flags) {
        String fua = " fua=" + bit(Flags.has(flags, Flags.FUA));
        return switch (operation) {
            case PREAD, CACHE -> range(offset, length);
            case PWRITE, TRIM -> range(offset, length) + fua;
            case ZERO -> range(offset, length) + " trim=" + bit(Flags.has(flags, Flags.MAY_TRIM)) + fua
                    + " fast=" + bit(Flags.has(flags, Flags.FAST_ZERO));
            case FLUSH -> "";
            case EXTENTS -> range(offset, length) + " req_one=" + bit(Flags.has(flags, Flags.REQ_ONE));
        };
    }

    private static String range(long offset, long length) {
        return "offset=0x" + Long.toHexString(offset) + " count=0x" + Long.toHexString(length);
    }

    /** nbdkit's {@code return=-1 error=EIO}: the error the client will be sent. */
    static String failed(Throwable e) {
        return "return=-1 error=" + NbdException.errorOf(e).name();
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
