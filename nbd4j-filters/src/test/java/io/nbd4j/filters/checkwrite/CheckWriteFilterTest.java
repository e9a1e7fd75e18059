package io.nbd4j.filters.checkwrite;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ClientErrors;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.OpenRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckWriteFilterTest {
    @Test
    void thePluginIsOpenedReadOnlyWhileEveryKindOfWriteIsAdvertised() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).canTrim(false).canZero(false).multiConn(false).canFlush(false);
        try (ServedStack served = ServedStack.of(disk, new CheckWriteFilter()).start(); NbdClient client = served.connect()) {
            assertThat(client.isReadOnly()).isFalse();
            assertThat(client.canFlush()).isTrue();
            assertThat(client.canFua()).isTrue();
            assertThat(client.canTrim()).isTrue();
            assertThat(client.canZero()).isTrue();
            assertThat(client.canFastZero()).isTrue();
            assertThat(client.canMultiConn()).isTrue();
            client.flush();
        }
        assertThat(disk.opens()).extracting(OpenRequest::readOnly).containsExactly(true);
        assertThat(disk.calls()).isEmpty();
    }

    @Test
    void aWriteOfTheBytesAlreadyThereSucceedsAndAnyOtherFailsWithEio() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(8 << 20).fill(3 << 20, "copy".getBytes());
        try (ServedStack served = ServedStack.of(disk, new CheckWriteFilter()).start(); NbdClient client = served.connect()) {
            byte[] big = new byte[(2 << 20) + 4];
            System.arraycopy("copy".getBytes(), 0, big, 1 << 20, 4);
            client.pwrite(big, 2 << 20);
            big[big.length - 1] = 1;
            assertThat(ClientErrors.errorOf(() -> client.pwrite(big, 2 << 20))).isEqualTo(ClientErrors.EIO);
        }
        assertThat(disk.calls()).as("compared in chunks of at most 1 MiB, never written")
                .containsExactly("pread 2097152+1048576", "pread 3145728+1048576", "pread 4194304+4",
                        "pread 2097152+1048576", "pread 3145728+1048576", "pread 4194304+4");
    }

    @Test
    void zeroesAreCheckedByBlockStatusWhereItSaysZeroAndByReadingElsewhere() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(64 << 10).fill(8192, new byte[4096]).fill(20480, new byte[] {1});
        try (ServedStack served = ServedStack.of(disk, new CheckWriteFilter()).start(); NbdClient client = served.connect()) {
            client.zero(16384, 0, 0);
            assertThat(ClientErrors.errorOf(() -> client.trim(8192, 16384, 0))).isEqualTo(ClientErrors.EIO);
            assertThat(ClientErrors.errorOf(() -> client.zero(4096, 8192, CommandFlags.FAST_ZERO))).isEqualTo(ClientErrors.ENOTSUP);
        }
        assertThat(disk.calls()).containsExactly("extents 0+16384", "pread 8192+4096", "extents 16384+8192",
                "pread 20480+4096", "extents 8192+4096");
    }

    @Test
    void withoutBlockStatusBelowZeroesAreCheckedByReading() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(64 << 10).canExtents(false);
        try (ServedStack served = ServedStack.of(disk, new CheckWriteFilter()).start(); NbdClient client = served.connect()) {
            client.zero(8192, 0, 0);
            assertThat(ClientErrors.errorOf(() -> client.zero(8192, 0, CommandFlags.FAST_ZERO))).isEqualTo(ClientErrors.ENOTSUP);
        }
        assertThat(disk.calls()).containsExactly("pread 0+8192");
    }
}
