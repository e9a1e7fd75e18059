package io.nbd4j.plugins.curl;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The curl plugin's parameters: nbdkit's names and forms, and a reason for each one it cannot honour. */
class CurlSettingsTest {
    private static CurlConfig resolve(String... words) throws ConfigException {
        CurlSettings settings = new CurlSettings();
        for (String word : words) {
            int equals = word.indexOf('=');
            settings.config(word.substring(0, equals), word.substring(equals + 1));
        }
        return settings.resolve();
    }

    @Test
    void credentialsInTheUrlBecomeUserAndPassword() throws ConfigException {
        CurlConfig config = resolve("url=https://bob:p%40ss@example.com:8443/d.img?x=1");
        assertThat(config.user()).isEqualTo("bob");
        assertThat(config.password()).isEqualTo("p@ss");
        assertThat(config.url().toString()).isEqualTo("https://example.com:8443/d.img?x=1");
    }

    @Test
    void defaultsAreNbdkits() throws ConfigException {
        CurlConfig config = resolve("url=http://h/d");
        assertThat(config.connections()).isEqualTo(4);
        assertThat(config.followLocation()).isTrue();
        assertThat(config.timeout()).isNull();
        assertThat(config.trust().verify()).isTrue();
        assertThat(resolve("url=http://h/d", "timeout=30").timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no url|timeout=1|url parameter is required",
            "ftp url|url=ftp://h/d|only http:// and https://",
            "scheme not in protocols|url=http://h/d protocols=https|not among protocols",
            "password without user|url=http://h/d password=x|needs user=",
            "bad connections|url=http://h/d connections=0|1 to 1024",
            "negative timeout|url=http://h/d timeout=-1|whole seconds",
            "socks proxy|url=http://h/d proxy=socks5://p:1080|only HTTP proxies",
            "malformed header|url=http://h/d header=NoColon|expected 'Name: value'",
            "header the JDK manages|url=http://h/d header=Host:x|cannot be set",
            "nagle on|url=http://h/d tcp-nodelay=false|disables Nagle",
            "http/2|url=http://h/d http-version=2.0|expected one of",
    })
    void badParametersAreRefusedSayingWhy(String what, String words, String message) {
        assertThatThrownBy(() -> resolve(words.split(" "))).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cookiefile", "cookiejar", "cookie-script", "header-script", "ssl-version",
            "ssl-cipher-list", "tls13-ciphers", "unix-socket-path"})
    void parametersWithoutACounterpartAreRefusedWithTheReason(String key) {
        assertThatThrownBy(() -> resolve("url=http://h/d", key + "=x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(key + " is not supported: ");
    }

    @Test
    void everyParameterAppearsInTheHelp() {
        assertThat(CurlSettings.ALL).extracting(p -> p.key()).contains("url", "header", "cookie", "user", "password",
                "sslverify", "cainfo", "capath", "timeout", "connections", "followlocation", "user-agent", "proxy",
                "proxy-user", "proxy-password", "protocols", "cookiefile", "unix-socket-path");
    }
}
