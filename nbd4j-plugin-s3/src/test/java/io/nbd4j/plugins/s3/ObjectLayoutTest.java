package io.nbd4j.plugins.s3;

import io.nbd4j.plugins.s3.ObjectLayout.Piece;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectLayoutTest {
    private final ObjectLayout layout = new ObjectLayout("vm/disk", 1 << 20, 65536);

    @Test
    void keysAreThePrefixAndSixteenLowerCaseHexDigitsAsNbdkitWritesThem() {
        assertThat(layout.key(0)).isEqualTo("vm/disk/0000000000000000");
        assertThat(layout.key(11)).isEqualTo("vm/disk/000000000000000b");
        assertThat(layout.key(0x1234abcdL)).isEqualTo("vm/disk/000000001234abcd");
    }

    @Test
    void onlyThisDisksOwnKeysParseBackToObjectNumbers() {
        assertThat(layout.index("vm/disk/000000000000000f")).isEqualTo(15);
        assertThat(layout.index("vm/disk/000000000000000F")).as("upper case is not nbdkit's").isEqualTo(-1);
        assertThat(layout.index("vm/disk/0000000000000010")).as("past the disk's 16 objects").isEqualTo(-1);
        assertThat(layout.index("vm/disk/notes.txt")).isEqualTo(-1);
        assertThat(layout.index("vm/disk2/0000000000000000")).isEqualTo(-1);
        assertThat(layout.index("vm/disk/00000000000000001")).isEqualTo(-1);
    }

    @Test
    void aRequestIsSplitAtObjectBoundaries() {
        assertThat(layout.pieces(60000, 140000)).containsExactly(
                new Piece(0, 60000, 5536, 0),
                new Piece(1, 0, 65536, 5536),
                new Piece(2, 0, 65536, 71072),
                new Piece(3, 0, 3392, 136608));
    }

    @Test
    void onlyPiecesCoveringAWholeObjectAreWhole() {
        assertThat(layout.pieces(65536, 65536)).singleElement().satisfies(p -> assertThat(p.wholeObject(65536)).isTrue());
        assertThat(layout.pieces(65537, 100)).singleElement().satisfies(p -> assertThat(p.wholeObject(65536)).isFalse());
    }
}
