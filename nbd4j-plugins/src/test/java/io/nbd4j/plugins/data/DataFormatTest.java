package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static io.nbd4j.plugins.data.DataDisks.b;
import static io.nbd4j.plugins.data.DataDisks.contentOf;
import static io.nbd4j.plugins.data.DataDisks.sizeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data format, with expectations taken from nbdkit's manual and from runs of nbdkit 1.32. */
class DataFormatTest {
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
        assertThat(contentOf("\"\\q\\'\\u00e9\\U0001F600\"")).isEqualTo(b('q', '\'', 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80));
        assertThat(contentOf("\"caf\u00e9\"")).isEqualTo(b('c', 'a', 'f', 0xc3, 0xa9));
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
    void postfixOperatorsApplyToTheItemBeforeThemAcrossBlanksAndComments() throws Exception {
        assertThat(contentOf("1 2 # two\n *3")).isEqualTo(b(1, 2, 2, 2));
        assertThat(contentOf("\"Hello\"[1:3]*2")).isEqualTo("elel".getBytes());
        assertThat(contentOf("1 2 3 [1:]")).isEqualTo(b(1, 2));
        assertThat(contentOf("( 1 2 3 )[1:]")).isEqualTo(b(2, 3));
    }

    @Test
    void aMoveBackOverwritesAndNeverShortensTheDisk() throws Exception {
        assertThat(contentOf("1 2 3 4 @-3 9")).isEqualTo(b(1, 9, 3, 4));
        assertThat(contentOf("@+10 @-5 @-4 @+20")).hasSize(21);
        assertThat(sizeOf("(@100) @0 (@50)")).isEqualTo(100);
        assertThat(sizeOf("(@50) @200 (@100)")).isEqualTo(300);
    }

    @Test
    void aNameWritesTheExpressionAssignedToIt() throws Exception {
        assertThat(contentOf("( 0x55 0xAA ) -> \\sig ( @4 \\sig ) -> \\sector \\sector \\sector"))
                .isEqualTo(b(0, 0, 0, 0, 0x55, 0xaa, 0, 0, 0, 0, 0x55, 0xaa));
        assertThat(contentOf("1 -> \\a @2 \\a*3")).isEqualTo(b(0, 0, 1, 1, 1));
    }

    @Test
    void aNameLastsToTheEndOfItsGroupAndInnerAssignmentsShadowOuterOnes() throws Exception {
        assertThat(contentOf("1 -> \\a ( 2 -> \\a \\a ) \\a")).isEqualTo(b(2, 1));
        assertThatThrownBy(() -> contentOf("( 0 -> \\a ) \\a")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("\\a is not defined here").hasMessageContaining("offset 12");
    }

    @Test
    void aNameSeesTheNamesOfWhereItWasAssignedNotOfWhereItIsUsed() throws Exception {
        assertThat(contentOf("1 -> \\one ( \\one ) -> \\test 3 -> \\one \\test ( \\one ) -> \\test \\test"))
                .isEqualTo(b(1, 3));
        assertThatThrownBy(() -> contentOf("( 0 -> \\a ) -> \\b \\b \\a")).hasMessageContaining("\\a is not defined");
    }

    @Test
    void aHugeSparseNameRepeatedCostsOnlyItsWrittenChunks() throws Exception {
        Evaluator.Result r = DataDisks.evaluate("( 0x55 0xAA @0x200000000 @-2 0x55 0xAA ) -> \\1 \\1 * 4");
        assertThat(r.size()).isEqualTo(0x800000000L);
        assertThat(r.image().chunkCount()).isEqualTo(8);
        byte[] marker = new byte[2];
        r.image().read(3 * 0x200000000L - 2, marker);
        assertThat(marker).isEqualTo(b(0x55, 0xaa));
    }

    @Test
    void aByteFarAwayCostsOneChunk() throws Exception {
        Evaluator.Result r = DataDisks.evaluate("@0x10000000000 1 @^0x4000000000000000");
        assertThat(r.size()).isEqualTo(0x4000000000000000L);
        assertThat(r.image().chunkCount()).isEqualTo(1);
    }

    @Test
    void variablesComeFromParametersBeforeTheEnvironmentAndNestLikeGroups() throws Exception {
        Map<String, String> env = Map.of("a", "BLAH", "b", " 3 4 ", "offset", "@2");
        assertThat(contentOf(env, "data", " $a $b $c ", "a", " 1 2 ", "c", " $d*2 ", "d", " 5 ")).isEqualTo(b(1, 2, 3, 4, 5, 5));
        assertThat(contentOf(env, "data", "9 $offset 7")).isEqualTo(b(9, 0, 0, 7));
        assertThat(contentOf(env, "data", "$hello[1:3]", "hello", " \"Hello\" ")).isEqualTo("el".getBytes());
    }

    @Test
    void scriptOutputIsWrittenAndASliceOfEndlessOutputEnds() throws Exception {
        assertThat(contentOf("<( for i in 0 1 2; do printf %02d $i; done ) 0x21")).isEqualTo("000102!".getBytes());
        assertThat(contentOf("<( while :; do printf ab; done )[1:6]")).isEqualTo("babab".getBytes());
        assertThat(contentOf("( <(echo hi) )*2")).isEqualTo("hi\nhi\n".getBytes());
    }

    @Test
    void aFailingScriptIsAnError() {
        assertThatThrownBy(() -> contentOf("1 <(echo partial; exit 3)")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("exited with status 3").hasMessageContaining("offset 2");
    }

    @Test
    void aSliceOfAFileReadsOnlyThatRange(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("bytes"), b(1, 2, 3, 4, 5));
        assertThat(contentOf("<" + f + "[1:3] <" + f + "[3:]*2")).isEqualTo(b(2, 3, 4, 5, 4, 5));
        assertThat(contentOf("</dev/urandom[:4]*4")).satisfies(d -> {
            assertThat(d).hasSize(16);
            assertThat(Arrays.copyOfRange(d, 12, 16)).isEqualTo(Arrays.copyOfRange(d, 0, 4));
        });
        assertThatThrownBy(() -> contentOf("<" + f + "[2:9]")).hasMessageContaining("has only 5 bytes");
        assertThatThrownBy(() -> contentOf("<" + f + "[6:]")).hasMessageContaining("cannot start at 6");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> contentOf("1 </no/such/file")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read </no/such/file: no such file");
    }

    @Test
    void aNestedExpressionAtAnOffsetOverwritesEverythingItSpans() throws Exception {
        assertThat(contentOf("1*10 @0 (@5)")).isEqualTo(b(0, 0, 0, 0, 0, 1, 1, 1, 1, 1));
        assertThat(contentOf("1*10 @2 ( 2 @+3 )")).isEqualTo(b(1, 1, 2, 0, 0, 0, 1, 1, 1, 1));
        assertThat(contentOf("1*10 @2 \"\"")).containsOnly(1);
    }

    @Test
    void emptyThingsContributeNothing() throws Exception {
        assertThat(contentOf("() ()*2 ( () )*2 ()[:0] \"\" \"Hello\"[99:99] () -> \\a \\a (\\a)*2 \\a[:0]*2")).isEmpty();
    }
}
