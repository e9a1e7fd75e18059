package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.AlignOffset;
import io.nbd4j.plugins.data.Expr.Assign;
import io.nbd4j.plugins.data.Expr.FileContent;
import io.nbd4j.plugins.data.Expr.Fill;
import io.nbd4j.plugins.data.Expr.Group;
import io.nbd4j.plugins.data.Expr.Literal;
import io.nbd4j.plugins.data.Expr.MoveOffset;
import io.nbd4j.plugins.data.Expr.NameRef;
import io.nbd4j.plugins.data.Expr.Nothing;
import io.nbd4j.plugins.data.Expr.Repeat;
import io.nbd4j.plugins.data.Expr.ScriptOutput;
import io.nbd4j.plugins.data.Expr.SetOffset;
import io.nbd4j.plugins.data.Expr.SingleByte;
import io.nbd4j.plugins.data.Expr.Slice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AstPrinterTest {
    private static final Origin HERE = new Origin("data", "", 0);

    @Test
    void eachNodeIsOneLineIndentedFourSpacesPerLevel() {
        Expr e = new Group(List.of(
                new SingleByte(7),
                new Group(List.of(new SetOffset(16), new MoveOffset(-2, HERE), new MoveOffset(3, HERE), new AlignOffset(512))),
                new Assign("sig", new Literal(new byte[] {0x55, (byte) 0xaa, 'A', '"', '\\', 0, 0x7f})),
                new NameRef("sig", HERE),
                new Repeat(new Fill(1, 10), 3),
                new Slice(new FileContent("/dev/urandom", HERE), 0, Expr.END, HERE),
                new ScriptOutput("echo hi", HERE),
                new Nothing()));
        assertThat(AstPrinter.lines(e)).containsExactly(
                "(",
                "    7",
                "    (",
                "        @16",
                "        @-2",
                "        @+3",
                "        @^512",
                "    )",
                "    (",
                "        \"U\\xaaA\"\\\\x00\\x7f\"",
                "    ) -> \\sig",
                "    \\sig",
                "    (",
                "        fill(1*10)",
                "    ) *3",
                "    (",
                "        </dev/urandom",
                "    )[0:-1]",
                "    <(echo hi)",
                "    null",
                ")");
    }
}
