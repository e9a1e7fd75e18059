package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.common.UniformWriteHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The multi-conn filter for one connection: resolves the mode, joins the connection's group in
 * {@link #prepare}, marks the connection dirty as requests pass, and turns flushes (and FUA in emulate
 * mode) into group rounds or into skipped or own flushes.
 *
 * <p><b>Threads.</b> Data calls come from the connection's request threads, as many at once as the
 * server allows; all shared state lives in {@link Member} and {@link Group}, which are thread-safe.
 * {@link #prepare}, {@link #finish} and {@link #close} come from the connection's own thread. An
 * {@code NBD_OPT_INFO} probe never joins a group, so it passes calls straight through.
 */
final class MultiConnHandle extends UniformWriteHandle {
    private final Settings settings;
    private final OpenRequest request;
    private final Groups groups;
    private final Member self;
    private final AtomicBoolean left = new AtomicBoolean();
    private volatile Mode mode;
    private volatile Group group;

    MultiConnHandle(Next next, Settings settings, OpenRequest request, Groups groups) {
        super(next);
        this.settings = settings;
        this.request = request;
        this.groups = groups;
        this.self = new Member(next);
    }

    /** The mode this connection runs in (AUTO resolved); asks the layer below once. */
    Mode mode() throws IOException {
        Mode m = mode;
        if (m == null) {
            m = resolve();
            mode = m;
        }
        return m;
    }

    private Mode resolve() throws IOException {
        if (settings.mode() != Mode.AUTO) {
            return settings.mode();
        }
        if (request.threadModel() == ThreadModel.SERIALIZE_CONNECTIONS) {
            return Mode.DISABLE;
        }
        return next.canMultiConn() ? Mode.PLUGIN : Mode.EMULATE;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        Mode m = mode();
        if (m == Mode.EMULATE && !next.canFlush()) {
            throw new NbdException(NbdError.EINVAL,
                    "multi-conn: emulating multi-conn needs a plugin that can flush (multi-conn-mode=emulate"
                            + (settings.mode() == Mode.AUTO ? ", chosen by auto" : "") + ")");
        }
        self.consistentBelow(next.canMultiConn());
        if (!request.probe()) {
            group = groups.join(request.exportName(), m == Mode.EMULATE, self);
        }
    }

    @Override
    public void finish() throws IOException {
        Group g = group;
        try {
            if (g != null && settings.flushOnClose() && (self.bits() & Member.WRITE) != 0 && next.canFlush()) {
                if (mode() == Mode.EMULATE) {
                    g.flushLeaving(self);
                    return;
                }
                int taken = self.takeIf(bits -> (bits & Member.WRITE) != 0);
                if (taken < 0) {
                    return;
                }
                if (mode() != Mode.EMULATE && g.allConsistentBelow()) {
                    g.publishedWrites().publish(() -> self.flushTaken(taken, 0));
                } else {
                    self.flushTaken(taken, 0);
                }
            }
        } finally {
            leave();
        }
    }

    @Override
    public void close() {
        leave();
    }

    private void leave() {
        Group g = group;
        if (g != null && left.compareAndSet(false, true)) {
            groups.leave(g, mode == Mode.EMULATE, self);
            self.depart();
        }
    }

    // ---- capabilities ----

    @Override
    public boolean canMultiConn() throws IOException {
        return switch (mode()) {
            case EMULATE, UNSAFE -> true;
            case DISABLE -> false;
            case PLUGIN, AUTO -> next.canMultiConn();
        };
    }

    @Override
    public FuaMode canFua() throws IOException {
        FuaMode below = next.canFua();
        // Under emulation a FUA write must flush every connection anyway, so a native FUA below buys
        // nothing: let the server send the write and then our (group) flush.
        return below == FuaMode.NATIVE && mode() == Mode.EMULATE ? FuaMode.EMULATE : below;
    }

    // ---- data ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        read(() -> next.pread(buffer, offset, flags));
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        read(() -> next.cache(length, offset, flags));
    }

    /** A pread or cache bound to its arguments. */
    @FunctionalInterface
    private interface ReadCall {
        void run() throws IOException;
    }

    /**
     * Marks the connection as having read both before and after {@code call}, so the mark survives a
     * flush round that takes this connection's bits while the call runs, and lets a round wait for the
     * call to end (see {@link Group}).
     */
    private void read(ReadCall call) throws IOException {
        if (group == null) {
            call.run();
            return;
        }
        self.beginRead();
        try {
            call.run();
        } finally {
            self.endRead();
        }
    }

    @Override
    protected void write(int flags, WriteCall call) throws IOException {
        Group g = group;
        if (g == null) {
            call.run(flags);
            return;
        }
        boolean fua = Flags.has(flags, Flags.FUA);
        if (fua && mode() == Mode.EMULATE) {
            try {
                call.run(flags & ~Flags.FUA);
            } finally {
                markWritten(g);
            }
            flushFor(g, 0);
            return;
        }
        boolean durable = false;
        try {
            call.run(flags);
            durable = fua;
        } finally {
            if (durable) {
                markPublished(g);
            } else {
                markWritten(g);
            }
        }
    }

    /** After a write that may sit in this connection's cache. Marked after the write, never before. */
    private void markWritten(Group g) {
        g.publishedWrites().writeCompleted();
        self.markWritten();
        if (g.tracking() != DirtyTracking.OFF) {
            g.markDirty();
        }
    }

    /**
     * After a FUA write outside emulation: it is durable, so this connection needs no flush for it, but
     * other connections may have cached what it replaced. nbdkit records nothing here, which lets a later
     * flush on a reader be skipped; we dirty the group unless the plugin is multi-conn consistent.
     */
    private void markPublished(Group g) {
        if (!self.consistentBelow() && g.tracking() != DirtyTracking.OFF) {
            g.markDirty();
        }
    }

    @Override
    public void flush(int flags) throws IOException {
        Group g = group;
        if (g == null) {
            next.flush(flags);
        } else {
            flushFor(g, flags);
        }
    }

    /**
     * A client's flush, or the flush that ends an emulated FUA write. Emulation replays to the group
     * even over a layer that is multi-conn consistent itself, as nbdkit does: a user who asks for
     * {@code emulate} gets its flushes (and counts), and only {@code auto} never emulates over such a
     * layer.
     */
    private void flushFor(Group g, int flags) throws IOException {
        if (mode() == Mode.EMULATE) {
            g.flushAll();
        } else if (g.allConsistentBelow()) {
            flushConsistent(g, flags);
        } else {
            flushOwn(g, flags);
        }
    }

    /**
     * PLUGIN, UNSAFE and DISABLE, when the layer below is multi-conn consistent for every member (the
     * file plugin, say, or the cache filter without a size limit): this connection's own flush publishes
     * the writes of all, so concurrent flushes run side by side. Tracking off flushes every time, as
     * nbdkit does. Otherwise a flush is skipped only when a finished flush already covers every write
     * completed before it arrived ({@link PublishedWrites}); nbdkit's dirty bit also skips it while
     * another connection's flush that took the bit is still running, before the writes are durable.
     */
    private void flushConsistent(Group g, int flags) throws IOException {
        if (g.tracking() == DirtyTracking.OFF) {
            next.flush(flags);
        } else {
            g.publishedWrites().publish(() -> next.flush(flags));
        }
    }

    /**
     * PLUGIN, UNSAFE and DISABLE over a layer that is not multi-conn consistent: only this connection is
     * flushed, and only while the group is dirty (tracking off: always). As in nbdkit, a flush cleans the
     * group only with fast tracking; with connection tracking, once anything was written every flush
     * goes down, since the filter cannot tell which connection's cache still holds what.
     */
    private void flushOwn(Group g, int flags) throws IOException {
        switch (g.tracking()) {
            case OFF -> self.flushTaken(self.takeIf(bits -> true), flags);
            case FAST -> flushIfGroupDirty(g, flags);
            case CONNECTION -> {
                if (g.isDirty()) {
                    self.flushTaken(self.takeIf(bits -> true), flags);
                }
            }
        }
    }

    private void flushIfGroupDirty(Group g, int flags) throws IOException {
        if (!g.takeDirty()) {
            return;
        }
        int taken = self.takeIf(bits -> true);
        try {
            self.flushTaken(taken, flags);
        } catch (IOException | RuntimeException e) {
            g.restoreDirty();
            throw e;
        }
    }
}
