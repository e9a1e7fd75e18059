package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.Group;
import io.nbd4j.spi.ConfigException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random expressions, written out as data strings, parsed back, optimised or not and evaluated, must
 * mean what {@link ExprModel} says they mean.
 */
class ExpressionModelTest {
    @Provide
    Arbitrary<Group> expressions() {
        return RandomExpressions.whole();
    }

    @Property(tries = 300)
    void theTextOfAnExpressionParsesBackToIt(@ForAll("expressions") Group e) throws Exception {
        Expr parsed = parse(RandomExpressions.text(e));
        assertThat(AstPrinter.lines(parsed)).isEqualTo(AstPrinter.lines(e));
    }

    @Property(tries = 300)
    void theEvaluatorWritesWhatTheModelWrites(@ForAll("expressions") Group e) throws Exception {
        String text = RandomExpressions.text(e);
        byte[] expected;
        try {
            expected = ExprModel.evaluate(e);
        } catch (ExprModel.TooLarge tooLarge) {
            Assume.that(false);
            return;
        } catch (ExprModel.Invalid invalid) {
            Statistics.collect("refused");
            assertThatThrownBy(() -> evaluate(parse(text))).as(text).isInstanceOf(ConfigException.class);
            return;
        }
        Statistics.collect(expected.length > SparseImage.CHUNK ? "crosses a chunk" : "within a chunk");
        assertThat(evaluate(parse(text))).as(text).isEqualTo(expected);
        Statistics.coverage(c -> {
            c.check("refused").percentage(p -> p > 5);
            c.check("within a chunk").percentage(p -> p > 30);
            c.check("crosses a chunk").percentage(p -> p > 2);
        });
    }

    @Property(tries = 300)
    void theOptimiserNeverChangesTheBytes(@ForAll("expressions") Group e) throws Exception {
        String text = RandomExpressions.text(e);
        byte[] plain;
        try {
            ExprModel.evaluate(e);
            plain = evaluate(parse(text));
        } catch (ExprModel.TooLarge | ExprModel.Invalid | ConfigException notComparable) {
            Assume.that(false);
            return;
        }
        Expr optimised = Optimiser.optimise(parse(text));
        assertThat(evaluate(optimised)).as(text + " optimised to %s", AstPrinter.lines(optimised)).isEqualTo(plain);
    }

    private static Expr parse(String text) throws ConfigException {
        return new ExprParser(name -> null).parse(text);
    }

    private static byte[] evaluate(Expr e) throws ConfigException {
        Evaluator.Result r = new Evaluator(new ExternalBytes()).evaluate(e);
        byte[] out = new byte[Math.toIntExact(r.size())];
        r.image().read(0, out);
        return out;
    }
}
