package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Size, block size and every capability are asked once per connection per layer, however often they are needed. */
class CapabilityCachingTest {
    static final List<String> ASKED_ONCE = List.of("size", "blockSize", "blockSizeEnforced", "canWrite", "canFlush", "isRotational",
            "canTrim", "canZero", "canFastZero", "canFua", "canCache", "canExtents", "canMultiConn");

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    /** A pass-through filter that counts its own capability answers and asks the layer below repeatedly. */
    static final class CountingFilter implements Filter {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        int calls(String name) {
            AtomicInteger n = calls.get(name);
            return n == null ? 0 : n.get();
        }

        @Override public String name() { return "counting"; }
        @Override public String description() { return "counts capability questions"; }

        @Override
        public Handle open(OpenRequest request, NextOpener below) throws IOException {
            return new FilterHandle(below.open(request)) {
                private void count(String name) {
                    calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public void prepare(boolean readOnly) throws IOException {
                    for (int i = 0; i < 3; i++) {
                        next.size();
                        next.canWrite();
                        next.canZero();
                        next.canFua();
                        next.canExtents();
                    }
                }

                @Override public long size() throws IOException { count("size"); return super.size(); }
                @Override public boolean canWrite() throws IOException { count("canWrite"); return super.canWrite(); }
                @Override public boolean canFlush() throws IOException { count("canFlush"); return super.canFlush(); }
                @Override public boolean canTrim() throws IOException { count("canTrim"); return super.canTrim(); }
                @Override public boolean canZero() throws IOException { count("canZero"); return super.canZero(); }
                @Override public FuaMode canFua() throws IOException { count("canFua"); return super.canFua(); }
                @Override public boolean canExtents() throws IOException { count("canExtents"); return super.canExtents(); }
            };
        }
    }

    @Test
    void eachCapabilityIsAskedOncePerConnectionPerLayer() throws Exception {
        RamDisk disk = new RamDisk(1 << 20);
        disk.fua = FuaMode.EMULATE;
        disk.canZero = false;
        CountingFilter filter = new CountingFilter();
        fixture.start(ServerFixture.builder(disk, filter));
        for (int connection = 1; connection <= 2; connection++) {
            try (TestClient c = fixture.client()) {
                c.negotiateStructured();
                c.request(CommandFlags.FUA, Command.WRITE, 1, 0, 4096, new byte[4096]);
                assertThat(c.replyError(1)).isZero();
                c.request(CommandFlags.FUA, Command.WRITE_ZEROES, 2, 0, 4096, null);
                assertThat(c.replyError(2)).isZero();
                c.request(CommandFlags.FUA, Command.TRIM, 3, 0, 4096, null);
                assertThat(c.replyError(3)).isZero();
                c.request(0, Command.BLOCK_STATUS, 4, 0, 4096, null);
                c.chunk();
                c.request(0, Command.READ, 5, 0, 128 << 10, null);
                c.chunks();
                c.disconnect();
                c.awaitServerSide();
            }
            for (String name : ASKED_ONCE) {
                assertThat(disk.calls(name)).as("plugin %s on connection %d", name, connection).isEqualTo(connection);
            }
            for (String name : List.of("size", "canWrite", "canFlush", "canTrim", "canZero", "canFua", "canExtents")) {
                assertThat(filter.calls(name)).as("filter %s on connection %d", name, connection).isEqualTo(connection);
            }
        }
    }
}
