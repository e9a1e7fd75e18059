package io.nbd4j.interop;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bench/run --smoke --nbd4j-only}: every benchmark workload runs against {@code ./nbd4j} on small
 * disks and short fio runs. Only the harness's exit status counts (a server that did not start, a client
 * that failed, a wrong size from {@code --run}); timings never fail this test.
 */
class BenchmarkSmokeTest {
    /** Every workload of bench/run but the one that needs the multi-conn filter. */
    private static final List<String> WORKLOADS_WITHOUT_MULTI_CONN = List.of("copy", "randread-qd1",
            "randread-qd16", "randwrite-qd16", "seqread-1m-qd4", "seqwrite-1m-qd4", "run-nbdinfo");

    @Test
    void everyBenchmarkWorkloadRunsAgainstNbd4j() {
        assumeTrue(Server.nbd4jSelected(), "nbd4j is not among -D" + Server.SELECTION_PROPERTY);
        Path root = Server.RepositoryRoot.find();
        List<String> command = new ArrayList<>(List.of(root.resolve("bench/run").toString(), "--smoke", "--nbd4j-only"));
        if (!hasMultiConnFilter(root)) {
            // The fsync-4conn row would fail for want of the filter, which says nothing about the rest.
            command.add("--only");
            command.add(String.join(",", WORKLOADS_WITHOUT_MULTI_CONN));
        }

        ProcessResult result = Commands.run(Duration.ofMinutes(5), root, command);

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private static boolean hasMultiConnFilter(Path root) {
        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, root,
                List.of(root.resolve("nbd4j").toString(), "--filter=multi-conn", "memory", "1M", "--version"));
        return r.exitCode() == 0;
    }
}
