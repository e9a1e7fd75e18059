package io.nbd4j.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class KeyValueWordTest {
    @ParameterizedTest
    @ValueSource(strings = {"size=1G", "a=", "A=b", "file=/x=y", "tar-entry=disk.img", "x.y_z-9=1", "Z9=..."})
    void aKeyOfAnAsciiLetterThenLettersDigitsDotsUnderscoresOrDashesMakesAParameter(String word) {
        assertThat(LayerStack.isKeyValue(word)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1G", "", "=1G", "9a=1", "-a=1", ".a=1", "_a=1", "a b=1", "a/b=1", "é=1", "aé=1",
            "a:b=1", "/path/with=equals", "a+b=1"})
    void anythingElseIsABareWord(String word) {
        assertThat(LayerStack.isKeyValue(word)).isFalse();
    }
}
