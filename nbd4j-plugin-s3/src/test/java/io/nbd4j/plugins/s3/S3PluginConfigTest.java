package io.nbd4j.plugins.s3;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3PluginConfigTest {
    private static S3Plugin configured(String... words) throws ConfigException {
        S3Plugin plugin = new S3Plugin();
        for (String word : words) {
            int eq = word.indexOf('=');
            plugin.config(word.substring(0, eq), word.substring(eq + 1));
        }
        return plugin;
    }

    @Test
    void bucketAndKeyAreRequired() throws ConfigException {
        S3Plugin plugin = configured("bucket=b");

        assertThatThrownBy(plugin::configComplete).hasMessageContaining("bucket= and key= are required");
    }

    @Test
    void sizeAndObjectSizeComeTogether() throws ConfigException {
        S3Plugin plugin = configured("bucket=b", "key=k", "size=1G");

        assertThatThrownBy(plugin::configComplete).hasMessageContaining("must be given together");
    }

    @Test
    void sizeMustBeAMultipleOfTheObjectSize() throws ConfigException {
        S3Plugin plugin = configured("bucket=b", "key=k", "size=100K", "object-size=64K");

        assertThatThrownBy(plugin::configComplete).hasMessageContaining("multiple of object-size");
    }

    @Test
    void objectsAreAtMost64MiB() throws ConfigException {
        assertThatThrownBy(configured("bucket=b", "key=k", "size=256M", "object-size=128M")::configComplete)
                .hasMessageContaining("from 1 byte to 64M");
        configured("bucket=b", "key=k", "size=256M", "object-size=64M").configComplete();
    }

    @Test
    void aSecretWithoutItsAccessKeyIsRefusedWithoutEchoingIt() throws ConfigException {
        S3Plugin plugin = configured("bucket=b", "key=k", "secret_key=TopSecret123");

        assertThatThrownBy(plugin::configComplete).hasMessageContaining("access-key= and secret-key=")
                .message().doesNotContain("TopSecret123");
    }

    @Test
    void badValuesNameTheParameterAndWhatIsAccepted() {
        assertThatThrownBy(() -> configured("endpoint-url=ftp://x")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("endpoint-url");
        assertThatThrownBy(() -> configured("connections=0")).hasMessageContaining("from 1 to 1024");
        assertThatThrownBy(() -> configured("path-style=maybe")).hasMessageContaining("true/false");
        assertThatThrownBy(() -> configured("colour=blue")).hasMessageContaining("accepted: bucket, key");
    }

    @Test
    void dumpShowsTheLibraryAndNoCredentials() throws ConfigException {
        S3Plugin plugin = configured("bucket=b", "key=k", "access-key=AKIDEXAMPLE", "secret-key=TopSecret123");
        plugin.configComplete();

        assertThat(plugin.dump()).containsKey("s3_sdk");
        assertThat(plugin.dump().toString()).doesNotContain("TopSecret123").doesNotContain("AKIDEXAMPLE");
    }
}
