package io.nbd4j.plugins.info;

import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.DetachedConnection;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfoPluginTest {
    private static InfoPlugin plugin(String mode) throws ConfigException {
        InfoPlugin plugin = new InfoPlugin();
        plugin.config("mode", mode);
        plugin.configComplete();
        return plugin;
    }

    private static OpenRequest request(String exportName, SocketAddress client, Instant connectedAt) {
        ClientInfo info = new ClientInfo(7, client, null, null, connectedAt);
        return new OpenRequest(exportName, true, false, 7, ThreadModel.PARALLEL, false, new DetachedConnection(info));
    }

    private static byte[] contents(Handle h) throws Exception {
        ByteBuffer b = ByteBuffer.allocate((int) h.size());
        h.pread(b, 0, 0);
        return b.array();
    }

    @Test
    void exportNameModeServesTheNameAsUtf8() throws Exception {
        Handle h = plugin("exportname").open(request("テスト/x", null, Instant.now()));
        assertThat(contents(h)).isEqualTo("テスト/x".getBytes(StandardCharsets.UTF_8));
        assertThat(h.canWrite()).isFalse();
        assertThat(h.canMultiConn()).isTrue();
        assertThat(plugin("exportname").open(request("", null, Instant.now())).size()).isZero();
    }

    @Test
    void base64ModeDecodesAnyBytesAndRefusesMalformedNames() throws Exception {
        byte[] binary = {0, 1, (byte) 0xff, 10};
        Handle h = plugin("base64exportname").open(request(Base64.getEncoder().encodeToString(binary), null, Instant.now()));
        assertThat(contents(h)).isEqualTo(binary);
        assertThatThrownBy(() -> plugin("base64exportname").open(request("xyz", null, Instant.now())))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EINVAL));
        assertThatThrownBy(() -> plugin("base64exportname").open(request("a$b=", null, Instant.now())))
                .isInstanceOf(NbdException.class);
    }

    @Test
    void addressModeShowsTcpAddressesAndHidesUnixPaths() throws Exception {
        InfoPlugin plugin = plugin("address");
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 40001);
        InetSocketAddress doc = new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 2);
        assertThat(new String(contents(plugin.open(request("", v4, Instant.now()))), StandardCharsets.US_ASCII)).isEqualTo("127.0.0.1:40000");
        assertThat(new String(contents(plugin.open(request("", v6, Instant.now()))), StandardCharsets.US_ASCII)).isEqualTo("[::1]:40001");
        assertThat(new String(contents(plugin.open(request("", doc, Instant.now()))), StandardCharsets.US_ASCII)).isEqualTo("[2001:db8::1:0:0:1]:2");
        Handle unix = plugin.open(request("", UnixDomainSocketAddress.of("/secret/path"), Instant.now()));
        assertThat(new String(contents(unix), StandardCharsets.US_ASCII)).isEqualTo("unix");
        assertThat(unix.canMultiConn()).isFalse();
        assertThatThrownBy(() -> plugin.open(request("", null, Instant.now()))).isInstanceOf(NbdException.class);
    }

    @Test
    void conntimeCountsFromTheClientsConnectionInBigEndianSecondsAndMicroseconds() throws Exception {
        Instant connected = Instant.now().minusSeconds(100);
        ByteBuffer b = ByteBuffer.wrap(contents(plugin("conntime").open(request("", null, connected))));
        assertThat(b.capacity()).isEqualTo(12);
        assertThat(b.getLong(0)).isBetween(100L, 160L);
        assertThat(b.getInt(8)).isBetween(0, 999_999);
    }

    @Test
    void timeIsTheWallClockAndUptimeCountsFromTheServersStart() throws Exception {
        ByteBuffer time = ByteBuffer.wrap(contents(plugin("time").open(request("", null, Instant.now()))));
        assertThat(time.getLong(0)).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
        InfoPlugin uptime = plugin("uptime");
        DetachedConnection server = new DetachedConnection(ClientInfo.withoutAddress(1));
        uptime.afterStart(server);
        Handle h = uptime.open(request("", null, Instant.now()));
        assertThat(ByteBuffer.wrap(contents(h)).getLong(0)).isBetween(0L, 60L);
        assertThat(h.canMultiConn()).isFalse();
    }

    @Test
    void aPartialReadOfTheClockGivesThoseBytesOfTheTwelve() throws Exception {
        Handle h = plugin("conntime").open(request("", null, Instant.now().minusSeconds(0x0102)));
        ByteBuffer b = ByteBuffer.allocate(2);
        h.pread(b, 6, 0);
        assertThat(b.array()).containsExactly(0x01, 0x02);
    }

    @Test
    void unknownModeNamesTheAcceptedOnes() {
        assertThatThrownBy(() -> plugin("clock")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("exportname, base64exportname, address, time, uptime, conntime");
    }
}
