package io.nbd4j.plugins.sh;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptErrorsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            'ENOSPC Out of space\\n'        | ENOSPC | Out of space
            'enospc\\tlower case works'     | ENOSPC | lower case works
            'EROFS read-only'              | EPERM  | read-only
            'EOPNOTSUPP no fast zero'      | ENOTSUP| no fast zero
            'EDQUOT quota'                 | ENOSPC | quota
            'EINVALID not an errno'        | EIO    | EINVALID not an errno
            'EAGAIN unknown to scripts'    | EIO    | EAGAIN unknown to scripts
            'just words'                   | EIO    | just words
            'EINVAL first line\\nsecond\\n'  | EINVAL | first line
            'ESHUTDOWN'                    | ESHUTDOWN | ESHUTDOWN
            """)
    void errnoNameAtTheStartSelectsTheErrorAndTheRestOfTheLineIsTheMessage(String stderr, NbdError error, String message) {
        NbdException e = ScriptErrors.fromStderr("/s.sh", "pread", stderr.replace("\\n", "\n").replace("\\t", "\t"));

        assertThat(e.error()).isEqualTo(error);
        assertThat(e).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"''", "'\\n\\n'"})
    void silentFailureIsEioNamingTheScript(String stderr) {
        NbdException e = ScriptErrors.fromStderr("/s.sh", "pread", stderr.replace("\\n", "\n"));

        assertThat(e.error()).isEqualTo(NbdError.EIO);
        assertThat(e).hasMessageContaining("/s.sh").hasMessageContaining("did not print an error message");
    }
}
