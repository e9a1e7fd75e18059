package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtentsParserTest {
    record Extent(long offset, long length, int type) {}

    private final List<Extent> seen = new ArrayList<>();
    private final Extents sink = (offset, length, type) -> seen.add(new Extent(offset, length, type));

    @Test
    void linesGiveOffsetLengthAndTypeWithSizeSuffixes() throws NbdException {
        ExtentsParser.parse("s", "0  1M\n1M\t1M hole,zero\n2M 512 3\n2097664 1536 zero\n3M 1K hole\n", sink);

        assertThat(seen).containsExactly(
                new Extent(0, 1 << 20, Extents.DATA),
                new Extent(1 << 20, 1 << 20, Extents.HOLE | Extents.ZERO),
                new Extent(2 << 20, 512, 3),
                new Extent(2097664, 1536, Extents.ZERO),
                new Extent(3 << 20, 1024, Extents.HOLE));
    }

    @Test
    void aLineWithoutLengthIsAnError() {
        assertThatThrownBy(() -> ExtentsParser.parse("s", "0\n", sink)).isInstanceOf(NbdException.class)
                .hasMessageContaining("cannot parse '0'");
    }

    @Test
    void anUnparsableSizeIsAnError() {
        assertThatThrownBy(() -> ExtentsParser.parse("s", "0 lots\n", sink)).isInstanceOf(NbdException.class)
                .hasMessageContaining("lots");
    }
}
