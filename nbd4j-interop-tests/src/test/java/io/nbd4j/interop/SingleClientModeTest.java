package io.nbd4j.interop;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -s}: the server talks NBD on its stdin/stdout to the one client that started it, then exits. */
class SingleClientModeTest {

    @ServerTest
    void clientThatStartsTheServerWithConnectCommandCanWriteAndRead(Server server) {
        String argv = server.command(List.of("-s", "memory", "1M")).stream()
                .map(SingleClientModeTest::pythonString)
                .collect(Collectors.joining(", ", "[", "]"));

        // nbdsh waits for the server to exit when it closes the handle, so a server that ignores
        // the end of its stdin makes this time out.
        String out = Clients.nbdsh(List.of(),
                "h.connect_command(" + argv + ")",
                "h.pwrite(b'single', 512)",
                "print(h.get_size(), h.pread(6, 512).decode())",
                "h.shutdown()");

        assertThat(out.strip()).isEqualTo("1048576 single");
    }

    private static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
