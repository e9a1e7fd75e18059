package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.cache.CacheFilter;
import io.nbd4j.filters.cache.TestCaches;
import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StackedPlugin;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import io.nbd4j.spi.Filter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based check of multi-conn consistency: random interleavings of writes, FUA writes, reads,
 * flushes and reconnections over four connections (two on export a, two on export b), run through the
 * filter over {@link StaleCachePlugin}, checked against the rule
 * <blockquote>after a flush reply on any connection of a group, every connection of the group reads every
 * write acknowledged before that flush was sent</blockquote>
 * plus read-your-own-writes on one connection and "a FUA write counts as a write and a flush". A read may
 * return any value written to the block no older than what these rules require.
 */
class FlushConsistencyModelTest {
    private static final String[] EXPORT_OF = {"a", "a", "b", "b"};
    private static final int BLOCKS = 2;

    enum Kind { WRITE, FUA_WRITE, READ, FLUSH, RECONNECT }

    record Action(Kind kind, int conn, int block) {}

    /** Filter and plugin combinations that promise multi-conn consistency. */
    enum Setup {
        EMULATE("emulate", false, false),
        EMULATE_OVER_CONSISTENT_PLUGIN("emulate", true, false),
        AUTO_OVER_CACHING_PLUGIN("auto", false, false),
        PLUGIN_OVER_CONSISTENT_PLUGIN("plugin", true, false),
        /**
         * A cache filter that holds one block (the whole disk) and so drops it after nearly every request:
         * over a caching plugin it is not multi-conn consistent, so auto must emulate.
         */
        AUTO_OVER_SIZE_LIMITED_CACHE("auto", false, true),
        AUTO_OVER_SIZE_LIMITED_CACHE_OVER_CONSISTENT_PLUGIN("auto", true, true);

        final String mode;
        final boolean consistentPlugin;
        final boolean limitedCacheBetween;

        Setup(String mode, boolean consistentPlugin, boolean limitedCacheBetween) {
            this.mode = mode;
            this.consistentPlugin = consistentPlugin;
            this.limitedCacheBetween = limitedCacheBetween;
        }
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> action = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.WRITE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.FUA_WRITE)),
                        net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.READ)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.FLUSH)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RECONNECT))),
                Arbitraries.integers().between(0, EXPORT_OF.length - 1),
                Arbitraries.integers().between(0, BLOCKS - 1)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 400)
    void everyConnectionReadsWhatAnyFlushPublished(@ForAll Setup setup, @ForAll DirtyTracking tracking,
                                                   @ForAll boolean byExportName,
                                                   @ForAll("actions") List<Action> actions) throws Exception {
        Filter filter = Fixtures.filter(setup.mode, tracking, "multi-conn-exportname=" + byExportName);
        StaleCachePlugin plugin = new StaleCachePlugin().consistent(setup.consistentPlugin);
        CacheFilter cache = setup.limitedCacheBetween ? TestCaches.writebackHolding(4096, 1) : null;
        try (FakeServer server = new FakeServer(filter, cache == null ? plugin : new StackedPlugin(cache, plugin))) {
            Model model = new Model(byExportName);
            FakeConnection[] conns = new FakeConnection[EXPORT_OF.length];
            for (int i = 0; i < conns.length; i++) {
                conns[i] = server.connect(EXPORT_OF[i]);
            }
            for (Action a : actions) {
                FakeConnection c = conns[a.conn()];
                switch (a.kind()) {
                    case WRITE -> model.wrote(a.conn(), a.block(), write(c, model, a, false));
                    case FUA_WRITE -> model.wroteDurably(a.conn(), a.block(), write(c, model, a, true));
                    case READ -> {
                        long v = c.read(a.block());
                        assertThat(model.allowed(a.conn(), a.block(), v))
                                .as("%s read %d after %s", a, v, actions).isTrue();
                    }
                    case FLUSH -> {
                        Map<Integer, Map<Integer, Long>> sent = model.acknowledged();
                        c.flush();
                        model.flushed(a.conn(), sent);
                    }
                    case RECONNECT -> {
                        c.disconnect();
                        conns[a.conn()] = server.connect(EXPORT_OF[a.conn()]);
                        model.reconnected(a.conn());
                    }
                }
            }
        } finally {
            if (cache != null) {
                cache.unload();
            }
        }
    }

    private static long write(FakeConnection c, Model model, Action a, boolean fua) throws Exception {
        long value = model.nextValue();
        c.write(a.block(), value, fua);
        return value;
    }

    /**
     * What each connection must be able to read. Values grow with time, so "newer" is "larger".
     *
     * <p>Writes to one block from two connections, both unflushed when a flush comes, may land in either
     * order: each connection's cache is written back by its own flush, and those run in parallel (in
     * nbdkit, in list order). Such a flush therefore guarantees only the oldest of those last writes, on
     * every connection including the writers; the newer ones remain readable.
     */
    private static final class Model {
        private final boolean byExportName;
        private long seq;
        /** Every value ever written per export and block. */
        private final Map<String, Map<Integer, Set<Long>>> written = new HashMap<>();
        /** Each connection's last unflushed write per block. */
        private final Map<Integer, Map<Integer, Long>> pending = new HashMap<>();
        /** The oldest value any connection may still read, per export and block. */
        private final Map<String, Map<Integer, Long>> published = new HashMap<>();
        /** The oldest value a connection may still read because it wrote it itself. */
        private final Map<Integer, Map<Integer, Long>> own = new HashMap<>();

        Model(boolean byExportName) {
            this.byExportName = byExportName;
        }

        long nextValue() {
            return ++seq;
        }

        void wrote(int conn, int block, long value) {
            written.computeIfAbsent(EXPORT_OF[conn], k -> new HashMap<>())
                    .computeIfAbsent(block, k -> new HashSet<>()).add(value);
            pending.computeIfAbsent(conn, k -> new HashMap<>()).put(block, value);
            own.computeIfAbsent(conn, k -> new HashMap<>()).put(block, value);
        }

        /** A FUA write: the write, then what a flush of the group guarantees. */
        void wroteDurably(int conn, int block, long value) {
            wrote(conn, block, value);
            flushed(conn, acknowledged());
        }

        /** The unflushed writes acknowledged so far, per connection. */
        Map<Integer, Map<Integer, Long>> acknowledged() {
            Map<Integer, Map<Integer, Long>> copy = new HashMap<>();
            pending.forEach((c, m) -> copy.put(c, new HashMap<>(m)));
            return copy;
        }

        void flushed(int conn, Map<Integer, Map<Integer, Long>> pendingWhenSent) {
            Map<String, Map<Integer, Long>> oldestLast = new HashMap<>();
            pendingWhenSent.forEach((c, blocks) -> {
                if (!byExportName || EXPORT_OF[c].equals(EXPORT_OF[conn])) {
                    blocks.forEach((b, v) -> oldestLast.computeIfAbsent(EXPORT_OF[c], k -> new HashMap<>()).merge(b, v, Math::min));
                    pending.get(c).keySet().removeAll(blocks.keySet());
                }
            });
            oldestLast.forEach((export, blocks) -> blocks.forEach((b, v) -> {
                published.computeIfAbsent(export, k -> new HashMap<>()).merge(b, v, Math::max);
                // Every cache of the group was dropped: even the writer of a newer value may now read
                // the older one that landed after it.
                own.forEach((c, mine) -> {
                    if (EXPORT_OF[c].equals(export) && mine.containsKey(b)) {
                        mine.merge(b, v, Math::min);
                    }
                });
            }));
        }

        void reconnected(int conn) {
            own.remove(conn);
            pending.remove(conn);
        }

        boolean allowed(int conn, int block, long value) {
            String e = EXPORT_OF[conn];
            long floor = Math.max(published.getOrDefault(e, Map.of()).getOrDefault(block, 0L),
                    own.getOrDefault(conn, Map.of()).getOrDefault(block, 0L));
            boolean exists = value == 0 || written.getOrDefault(e, Map.of()).getOrDefault(block, Set.of()).contains(value);
            return exists && value >= floor;
        }
    }
}
