package io.nbd4j.spi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataRunsTest {
    private static List<String> extents(DataRuns runs, long length, long offset, boolean onlyFirst) throws NbdException {
        List<String> out = new ArrayList<>();
        runs.extents(length, offset, onlyFirst, (o, l, t) -> out.add(o + "+" + l + (t == Extents.DATA ? " data" : " hole")));
        return out;
    }

    private static DataRuns sample() {
        DataRuns runs = new DataRuns(1);
        runs.add(100, 200);
        runs.add(200, 300);
        runs.add(500, 600);
        runs.add(700, 700);
        return runs;
    }

    @Test
    void touchingRunsJoinAndEmptyOnesAreIgnored() {
        DataRuns runs = sample();
        assertThat(runs.count()).isEqualTo(2);
        assertThat(runs.start(0)).isEqualTo(100);
        assertThat(runs.end(0)).isEqualTo(300);
    }

    @Test
    void extentsAlternateDataAndHolesWithinTheRange() throws NbdException {
        assertThat(extents(sample(), 650, 50, false))
                .containsExactly("50+50 hole", "100+200 data", "300+200 hole", "500+100 data", "600+100 hole");
        assertThat(extents(sample(), 10, 150, false)).containsExactly("150+10 data");
        assertThat(extents(sample(), 1000, 0, true)).containsExactly("0+100 hole");
    }

    @Test
    void holesAreFoundBetweenAndAroundRuns() {
        DataRuns runs = sample();
        assertThat(runs.isHole(300, 200)).isTrue();
        assertThat(runs.isHole(300, 201)).isFalse();
        assertThat(runs.isHole(0, 100)).isTrue();
        assertThat(runs.isHole(600, 1 << 20)).isTrue();
        assertThat(runs.runAfter(300)).isEqualTo(1);
        assertThat(runs.runAfter(299)).isZero();
    }

    @Test
    void runsOutOfOrderAreRefused() {
        DataRuns runs = sample();
        assertThatThrownBy(() -> runs.add(550, 560)).isInstanceOf(IllegalArgumentException.class);
    }
}
