package io.nbd4j.plugins.info;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.util.Arrays;

/** What the info plugin's disk holds; the value of {@code mode=}. */
enum InfoMode {
    EXPORTNAME("exportname"),
    BASE64EXPORTNAME("base64exportname"),
    ADDRESS("address"),
    TIME("time"),
    UPTIME("uptime"),
    CONNTIME("conntime");

    final String word;

    InfoMode(String word) {
        this.word = word;
    }

    static InfoMode parse(String key, String value) throws ConfigException {
        String[] words = Arrays.stream(values()).map(m -> m.word).toArray(String[]::new);
        String chosen = Values.parseChoice(key, value, words);
        return Arrays.stream(values()).filter(m -> m.word.equals(chosen)).findFirst().orElseThrow();
    }

    /** Whether the disk is a clock read afresh on every request, rather than bytes fixed at open. */
    boolean isClock() {
        return this == TIME || this == UPTIME || this == CONNTIME;
    }

    /** Whether every connection to the same export sees the same bytes. */
    boolean sameForEveryConnection() {
        return this == EXPORTNAME || this == BASE64EXPORTNAME;
    }
}
