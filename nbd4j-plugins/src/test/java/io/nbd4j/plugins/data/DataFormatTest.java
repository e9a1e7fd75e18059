package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.nbd4j.plugins.data.DataDisks.contentOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data format, with expectations taken from nbdkit's manual and from runs of nbdkit 1.32. */
class DataFormatTest {
    private static byte[] b(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void bytesInDecimalHexAndOctal() throws Exception {
        assertThat(contentOf("017 0x1F 255 0")).isEqualTo(b(15, 31, 255, 0));
    }

    @Test
    void anAbsoluteMoveExtendsTheDiskEvenWithNothingAfterIt() throws Exception {
        byte[] disk = contentOf("1 2 3 @0x10");
        assertThat(disk).hasSize(16).startsWith(1, 2, 3).endsWith(0);
    }

    @Test
    void theDiskEndsAtTheFurthestOffsetReached() throws Exception {
        assertThat(contentOf("1 2 3 @-1")).isEqualTo(b(1, 2, 3));
        assertThat(contentOf("1 @+5 @-5")).isEqualTo(b(1, 0, 0, 0, 0, 0));
        assertThat(contentOf("@0x10 @0")).hasSize(16);
    }

    @Test
    void laterBytesOverwriteEarlierOnes() throws Exception {
        assertThat(contentOf("1 2 3 @0 4")).isEqualTo(b(4, 2, 3));
        assertThat(contentOf("0xff*3 @1 5")).isEqualTo(b(0xff, 5, 0xff));
    }

    @Test
    void aGroupOverwritesItsWholeExtentIncludingZeroes() throws Exception {
        assertThat(contentOf("1 2 3 @0 ( @+2 9 )")).isEqualTo(b(0, 0, 9));
        assertThat(contentOf("1 2 3 4 @0 ( 9 @+2 )*1")).isEqualTo(b(9, 0, 0, 4));
    }

    @Test
    void repetitionOfBytesStringsAndGroups() throws Exception {
        assertThat(contentOf("( 1 @+3 )*2")).isEqualTo(b(1, 0, 0, 0, 1, 0, 0, 0));
        assertThat(contentOf("( 1 ( 2 )*2 )*2")).isEqualTo(b(1, 2, 2, 1, 2, 2));
        assertThat(contentOf("\"ab\"*2")).isEqualTo("abab".getBytes());
        assertThat(contentOf("1 * 3")).isEqualTo(b(1, 1, 1));
        assertThat(contentOf("( 1 2 )*0")).isEmpty();
        assertThat(contentOf("( 0x55 0xAA )*2048")).hasSize(4096).startsWith(0x55, 0xaa).endsWith(0x55, 0xaa);
    }

    @Test
    void slicesTakeARangeOfAnExpression() throws Exception {
        assertThat(contentOf("( 1 2 3 )[1:] 9")).isEqualTo(b(2, 3, 9));
        assertThat(contentOf("( 1 2 3 )[:2] ( 4 5 6 )[2:]")).isEqualTo(b(1, 2, 6));
        assertThatThrownBy(() -> contentOf("( 1 @+2 )[0:5]")).isInstanceOf(ConfigException.class).hasMessageContaining("slice");
    }

    @Test
    void wordsInBothByteOrders() throws Exception {
        assertThat(contentOf("le16:0x1234 be32:0xffffffff be16:1")).isEqualTo(b(0x34, 0x12, 0xff, 0xff, 0xff, 0xff, 0, 1));
        assertThat(contentOf("le64:1 be64:0xffffffffffffffff")).isEqualTo(b(1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255));
        assertThat(contentOf("0 1 2 3 @^0x200 @-2 le16:0xaa55")).hasSize(512).endsWith(0x55, 0xaa);
    }

    @Test
    void stringsWithCEscapes() throws Exception {
        assertThat(contentOf("\"a\\n\\\"\\\\\\t\" 0xff")).isEqualTo(b('a', '\n', '"', '\\', '\t', 0xff));
        assertThat(contentOf("\"\\x41\\101\\0\"")).isEqualTo(b('A', 'A', 0));
    }

    @Test
    void alignmentMovesToTheNextMultiple() throws Exception {
        assertThat(contentOf("@^8 1 @^8")).isEqualTo(b(1, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void commentsRunToTheEndOfTheLine() throws Exception {
        assertThat(contentOf("# c\n1 # x\n2")).isEqualTo(b(1, 2));
    }

    @Test
    void filesAreCopiedIn(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("bytes"), b(7, 8, 9));
        assertThat(contentOf("1 <" + f + " 2")).isEqualTo(b(1, 7, 8, 9, 2));
    }

    @Test
    void mistakesAreReportedWithTheirPlace() {
        assertThatThrownBy(() -> contentOf("256")).isInstanceOf(ConfigException.class).hasMessageStartingWith("data:").hasMessageContaining("0..255");
        assertThatThrownBy(() -> contentOf("1 @-2")).hasMessageContaining("current offset 1");
        assertThatThrownBy(() -> contentOf("1 @^3 2")).hasMessageContaining("power of 2");
        assertThatThrownBy(() -> contentOf("1 2 ) 3")).hasMessageContaining("unmatched ')'");
        assertThatThrownBy(() -> contentOf("( 1 2")).hasMessageContaining("unmatched '('");
        assertThatThrownBy(() -> contentOf("\"abc")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> contentOf("le32:4294967296")).hasMessageContaining("32 bits");
        assertThatThrownBy(() -> contentOf("08")).hasMessageContaining("could not parse number");
        assertThatThrownBy(() -> contentOf("le24:1")).hasMessageContaining("unknown word type");
        assertThatThrownBy(() -> contentOf("-1")).hasMessageContaining("unexpected '-'");
        assertThatThrownBy(() -> contentOf("\\name")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> contentOf("@0x7fffffffffffffff 1")).hasMessageContaining("overflows");
    }
}
