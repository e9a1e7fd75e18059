package io.nbd4j.plugins.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optimiser rewrites expressions as nbdkit's does, so {@code -D data.AST=1} prints the same tree.
 * Expectations from nbdkit 1.32 (its test-data-optimum.sh), as the AST lines joined by single spaces.
 */
class OptimiserTest {
    private static String optimised(String data) throws Exception {
        Expr e = Optimiser.optimise(new ExprParser(name -> null).parse(data));
        return String.join(" ", AstPrinter.lines(e).stream().map(String::strip).toList());
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "1 | 1",
            "1 1 1 | fill(1*3)",
            "0x31 0x32 0x33 | \"123\"",
            "\"1111\" 0x31 | fill(49*5)",
            "\"111\" 0x31 | fill(49*4)",
            "0x31 \"111\" | fill(49*4)",
            "\"12\" \"3\" \"456\" | \"123456\"",
            "\"12\" 0x33 \"456\" | \"123456\"",
            "((((1)))) | 1",
            "(1 1 1) 1 (1 1 1 1) | fill(1*8)",
            "(((1 1 1) 1)) (1 1 1 1) | fill(1*8)",
            "(((2 2 2) 2)) (1 1 1 1) | ( fill(2*4) fill(1*4) )",
            "(((2 2 2) 2)) (1 1 1 1 3) | ( fill(2*4) fill(1*4) 3 )",
            "(((2 2 2) 2)) (1 1 1 (1 3)) | ( fill(2*4) fill(1*3) \"\\x01\\x03\" )",
            "(((2 2 2) 2)) (3 1 1 1 1) | ( fill(2*4) \"\\x03\\x01\\x01\\x01\\x01\" )",
            "(1 2 3)*0 | null",
            "(0x31 0x32 0x33)*4*4 | \"123123123123123123123123123123123123123123123123\"",
            "((0x31 0x32 0x33)*4)*4 | \"123123123123123123123123123123123123123123123123\"",
            "\"123456\"[:] | \"123456\"",
            "\"123456\"[1:] | \"23456\"",
            "\"123456\"[:0] | null",
            "\"123456\"[:1] | 49",
            "\"123456\"[1:2] | 50",
            "\"123456\"[2:4] | \"34\"",
            "\"123456\"[5:] | 54",
            "\"\"[:] | null",
            "(1 1 1 1 1 1)[1:6] | fill(1*5)",
            "(1 1 1 1 1 1)[2:3] | 1",
            "(1 1 1 1 1 1)[6:6] | null",
            "()[6:]*0 | null",
    })
    void rewritesAsNbdkitDoes(String data, String expected) throws Exception {
        assertThat(optimised(data)).isEqualTo(expected);
    }

    @Test
    void groupsWithMovesOrNamesKeepTheirScope() throws Exception {
        assertThat(optimised("1 (@2 2) 3")).isEqualTo("( 1 ( @2 2 ) 3 )");
        assertThat(optimised("(1 -> \\a \\a) 2")).isEqualTo("( ( ( 1 ) -> \\a \\a ) 2 )");
        assertThat(optimised("(@4)")).isEqualTo("( @4 )");
    }

    @Test
    void aProductPastTheLargestDiskIsLeftForTheEvaluatorToRefuse() throws Exception {
        assertThat(optimised("(1 @1)*0x4000000000000000*4")).isEqualTo("( ( ( 1 @1 ) ) *4611686018427387904 ) *4");
        assertThat(optimised("1*0x4000000000000000*4")).isEqualTo("( fill(1*4611686018427387904) ) *4");
    }

    @Test
    void slicesThatCannotBeCutNowStay() throws Exception {
        assertThat(optimised("\"123\"[4:]")).isEqualTo("( \"123\" )[4:-1]");
        assertThat(optimised("0[1:]")).isEqualTo("( 0 )[1:-1]");
        assertThat(optimised("<f[1:2]")).isEqualTo("( <f )[1:2]");
    }

    @Test
    void thePluginPrintsTheOptimisedTreeBetweenMarkersWhenAsked() throws Exception {
        List<String> lines = new ArrayList<>();
        DataPlugin plugin = new DataPlugin(name -> null, () -> true, lines::add);
        plugin.config("data", "1 2 \"3\"*3 4 (@1)");
        plugin.configComplete();
        assertThat(lines).containsExactly("BEGIN AST (-D data.AST=1)",
                "(", "    \"\\x01\\x02333\\x04\"", "    (", "        @1", "    )", ")", "END AST");
    }
}
