package io.nbd4j.filters.pause;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class PauseFilterTest {
    @TempDir
    Path dir;

    static String send(SocketChannel control, String commands, int answers) throws Exception {
        control.write(ByteBuffer.wrap(commands.getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer in = ByteBuffer.allocate(answers);
        while (in.hasRemaining()) {
            assertThat(control.read(in)).isNotNegative();
        }
        return new String(in.array(), StandardCharsets.US_ASCII);
    }

    @Test
    void aPausedServerHoldsRequestsUntilResumedAndAnswersEveryCommand() throws Exception {
        Path socket = dir.resolve("control");
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        try (ServedStack served = ServedStack.of(disk, new PauseFilter()).config("pause-control=" + socket).start();
             NbdClient client = served.connect();
             SocketChannel control = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            control.connect(UnixDomainSocketAddress.of(socket));
            client.pread(0, 512);

            assertThat(send(control, "p", 1)).isEqualTo("P");
            CompletableFuture<Void> held = client.preadAsync(ByteBuffer.allocate(512), 512, 0);
            client.flush();   // flush passes a pause, and replies come after the held read was read
            assertThat(held).isNotDone();
            assertThat(disk.calls()).containsExactly("pread 0+512", "flush");

            assertThat(send(control, " q\nr", 2)).isEqualTo("XR");
            held.get();
            assertThat(disk.calls()).contains("pread 512+512");
        }
        assertThat(socket).as("removed at unload").doesNotExist();
    }

    @Test
    void theControlSocketIsRequired() {
        assertThatThrownBy(() -> Layers.configured(new PauseFilter()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pause-control");
    }
}
