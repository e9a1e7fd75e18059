package io.nbd4j.filters.ip;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.PeerCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class IpFilterTest {
    static ClientInfo tcp(String address) {
        return new ClientInfo(1, new InetSocketAddress(InetAddress.ofLiteral(address), 40000),
                new InetSocketAddress(InetAddress.ofLiteral(address), 10809), null, Instant.now());
    }

    static ClientInfo unix(long pid, long uid, long gid) {
        UnixDomainSocketAddress unnamed = UnixDomainSocketAddress.of("");
        return new ClientInfo(1, unnamed, UnixDomainSocketAddress.of("/tmp/sock"), new PeerCredentials(pid, uid, gid), Instant.now());
    }

    static IpFilter filter(String... parameters) throws ConfigException {
        return Layers.configured(new IpFilter(), parameters);
    }

    @Test
    void theAllowListComesFirstThenTheDenyListThenEveryoneElseIsLetIn() throws Exception {
        IpFilter f = filter("deny=all", "allow=127.0.0.1,::1");

        assertThat(f.allowed(tcp("127.0.0.1"))).isTrue();
        assertThat(f.allowed(tcp("::1"))).isTrue();
        assertThat(f.allowed(tcp("10.0.0.1"))).isFalse();
        assertThat(filter("deny=10.0.0.0/8").allowed(tcp("192.168.1.1"))).isTrue();
        assertThat(filter().allowed(unix(1, 2, 3))).isTrue();
    }

    @Test
    void networksMatchOnTheirPrefixOnlyAndFamiliesDoNotMix() throws Exception {
        IpFilter f = filter("allow=192.168.2.0/23,fd00::/8", "deny=any");

        assertThat(f.allowed(tcp("192.168.3.200"))).isTrue();
        assertThat(f.allowed(tcp("192.168.4.1"))).isFalse();
        assertThat(f.allowed(tcp("fdab::1"))).isTrue();
        assertThat(f.allowed(tcp("fe80::1"))).isFalse();
        assertThat(filter("allow=anyipv6", "deny=all").allowed(tcp("127.0.0.1"))).isFalse();
        assertThat(filter("allow=ANYIPV4", "deny=all").allowed(tcp("127.0.0.1"))).isTrue();
        assertThat(filter("allow=0.0.0.0/0", "deny=all").allowed(unix(1, 2, 3))).as("IP rules never match Unix clients").isFalse();
    }

    @Test
    void unixClientsMatchByTheirCredentials() throws Exception {
        assertThat(filter("allow=anyunix", "deny=all").allowed(unix(1, 2, 3))).isTrue();
        assertThat(filter("allow=uid:2", "deny=all").allowed(unix(1, 2, 3))).isTrue();
        assertThat(filter("allow=gid:3", "deny=all").allowed(unix(1, 2, 3))).isTrue();
        assertThat(filter("allow=pid:1", "deny=all").allowed(unix(1, 2, 3))).isTrue();
        assertThat(filter("allow=uid:3", "deny=all").allowed(unix(1, 2, 3))).isFalse();
        assertThat(filter("allow=uid:0", "deny=all").allowed(tcp("127.0.0.1"))).isFalse();
        assertThat(filter("allow=anyvsock,vsock-cid:1", "deny=all").allowed(unix(1, 2, 3))).isFalse();
    }

    @Test
    void aClientOfUnknownOriginIsTurnedAway() throws Exception {
        assertThatThrownBy(() -> filter().preconnect(ClientInfo.withoutAddress(1), false))
                .isInstanceOf(NbdException.class).hasMessageContaining("cannot tell where the client connects from");
        assertThatThrownBy(() -> filter("deny=all").preconnect(tcp("127.0.0.1"), false))
                .isInstanceOf(NbdException.class).hasMessageContaining("IP address restriction");
    }

    @Test
    void rulesThatDoNotParseFailNamingWhatIsAccepted() {
        assertThatThrownBy(() -> filter("allow=example.com")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("example.com").hasMessageContaining("anyunix");
        assertThatThrownBy(() -> filter("allow=10.0.0.0/33")).isInstanceOf(ConfigException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> filter("deny=all,,any")).isInstanceOf(ConfigException.class).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> filter("allow=uid:me")).isInstanceOf(ConfigException.class).hasMessageContaining("'me'");
    }

    /** The kernel's word on who connected: the test's own process. */
    @Test
    void onAUnixSocketTheServerLearnsTheClientsUidAndTheFilterActsOnIt() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        ScriptedPlugin disk = new ScriptedPlugin(4096);
        try (ServedStack served = ServedStack.of(disk, new IpFilter()).config("allow=uid:" + uid, "deny=all").start();
             NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(4096);
        }
        try (ServedStack served = ServedStack.of(disk, new IpFilter()).config("deny=uid:" + uid).start()) {
            assertThatThrownBy(served::connect).isInstanceOf(IOException.class);
        }
    }
}
