package io.nbd4j.filters.noparallel;

import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoParallelFilterTest {
    @Test
    void defaultSerializesRequestsPerConnection() {
        assertThat(new NoParallelFilter().threadModel()).isEqualTo(ThreadModel.SERIALIZE_REQUESTS);
    }

    @ParameterizedTest
    @CsvSource({
            "serialize, requests, SERIALIZE_REQUESTS",
            "serialize, all-requests, SERIALIZE_ALL_REQUESTS",
            "serialize, all_requests, SERIALIZE_ALL_REQUESTS",
            "serialise, connections, SERIALIZE_CONNECTIONS",
            "serialize, Connections, SERIALIZE_CONNECTIONS"})
    void eachSettingSelectsItsThreadModel(String key, String value, ThreadModel expected) throws ConfigException {
        assertThat(Layers.configured(new NoParallelFilter(), key + "=" + value).threadModel()).isEqualTo(expected);
    }

    @Test
    void anUnknownSettingIsRejectedNamingTheAcceptedValues() {
        assertThatThrownBy(() -> new NoParallelFilter().config("serialize", "everything"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("serialize")
                .hasMessageContaining("requests, all-requests, all_requests, connections");
    }

    @Test
    void theAliasKeyIsDeclaredForRouting() {
        assertThat(new NoParallelFilter().parameters().getFirst().matches("serialise")).isTrue();
    }
}
