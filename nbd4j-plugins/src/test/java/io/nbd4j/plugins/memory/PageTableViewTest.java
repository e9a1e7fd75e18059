package io.nbd4j.plugins.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PageTable#view}: the zero-copy read the server uses for reads of written data. */
class PageTableViewTest {
    private static final int PAGE = AnonymousMemory.pageSize();
    private final PageTable table = new PageTable();

    @AfterEach
    void close() {
        table.close();
    }

    private static ByteBuffer pattern(int length, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        for (int i = 0; i < length; i++) {
            b.put(i, (byte) (i * 13 + seed));
        }
        return b;
    }

    @Test
    void viewOfWrittenBytesShowsThemReadOnlyWithoutAllocating() throws Exception {
        table.write(pattern(3 * PAGE, 5), 7 * PAGE);
        long pages = table.allocatedPages();

        ByteBuffer view = table.view(7 * PAGE + 100, 2 * PAGE);

        assertThat(view).isNotNull();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.position()).isZero();
        assertThat(view.limit()).isEqualTo(2 * PAGE);
        assertThat(view).isEqualTo(pattern(3 * PAGE, 5).slice(100, 2 * PAGE));
        assertThat(table.allocatedPages()).isEqualTo(pages);
    }

    @Test
    void viewSeesLaterWritesToTheSameBytes() throws Exception {
        table.write(pattern(PAGE, 1), 0);
        ByteBuffer view = table.view(0, PAGE);

        table.write(pattern(PAGE, 2), 0);

        assertThat(view).isEqualTo(pattern(PAGE, 2));
    }

    @Test
    void noViewWhenAnyPageIsAHole() throws Exception {
        table.write(pattern(PAGE, 1), 0);
        table.write(pattern(PAGE, 1), 2L * PAGE);

        assertThat(table.view(0, 3 * PAGE)).isNull();
        assertThat(table.view(5L * PAGE, PAGE)).isNull();
        assertThat(table.view(1L << 40, PAGE)).as("region never written").isNull();
    }

    @Test
    void noViewOnceTrimmed() throws Exception {
        table.write(pattern(4 * PAGE, 1), 0);
        table.zero(PAGE, PAGE);

        assertThat(table.view(0, 4 * PAGE)).isNull();
        assertThat(table.view(2L * PAGE, 2 * PAGE)).isNotNull();
    }

    @Test
    void noViewAcrossARegionBoundary() throws Exception {
        long boundary = PageTable.REGION_BYTES;
        table.write(pattern(2 * PAGE, 3), boundary - PAGE);

        assertThat(table.view(boundary - PAGE, 2 * PAGE)).isNull();
        assertThat(table.view(boundary - PAGE, PAGE)).isEqualTo(pattern(PAGE, 3));
        assertThat(table.view(boundary, PAGE)).isEqualTo(pattern(2 * PAGE, 3).slice(PAGE, PAGE));
    }
}
