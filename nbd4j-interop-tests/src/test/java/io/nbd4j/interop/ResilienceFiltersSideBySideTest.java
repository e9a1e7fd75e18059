package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cow, blocksize, blocksize-policy and ddrescue filters answer nbdsh's questions (capabilities,
 * block sizes, data, block status, errors) as nbdkit's filters of the same name do, on the same
 * command lines. The differences the README lists (cow's write zeroes, block sizes of a plugin that
 * declares none) are left out of these command lines.
 */
@EnabledIf("io.nbd4j.interop.Server#bothSelected")
class ResilienceFiltersSideBySideTest {
    private static final String CAPABILITIES = """
            for name in ["can_flush", "can_fua", "can_trim", "can_cache", "can_multi_conn", "is_read_only", "can_df"]:
                print(name, getattr(h, name)())
            for c in [nbd.SIZE_MINIMUM, nbd.SIZE_PREFERRED, nbd.SIZE_MAXIMUM]:
                print("block size", h.get_block_size(c))
            print("size", h.get_size())
            """;

    @TempDir
    Path dir;

    @Test
    void theCowOverlayKeepsWritesAndReportsTheSameExtents() {
        String script = CAPABILITIES + """
                h.pwrite(b"x" * 4096, 65536)
                h.pwrite(b"y" * 100, 200000)
                print(h.pread(10, 65536 + 4090))
                print(h.pread(8, 199998))
                extents = []
                h.block_status(1048576, 0, lambda context, offset, e, error: extents.append(e))
                print(extents)
                """;
        for (String plugin : List.of("memory", "pattern")) {
            SideBySide.Outputs outputs = SideBySide.run(dir, List.of("--filter=cow", plugin, "1M"),
                    uri -> Clients.nbdsh(List.of("--base-allocation", "-u", uri), script));
            assertThat(outputs.nbd4j()).contains("bytearray(b'xxxxxx\\x00\\x00\\x00\\x00')");
            outputs.assertSame();
        }
    }

    @Test
    void theBlocksizeFiltersAdvertiseTheSameSizesAndServeUnalignedRequests() {
        String script = CAPABILITIES + """
                h.set_strict_mode(h.get_strict_mode() & ~nbd.STRICT_ALIGN)
                h.pwrite(b"z" * 1000, 1234)
                print(h.pread(1010, 1229))
                h.zero(3000, 511)
                print(h.pread(20, 500).hex())
                """;
        SideBySide.Outputs outputs = SideBySide.nbdsh(dir,
                List.of("--filter=blocksize", "memory", "1M", "minblock=4K", "maxdata=64K"), script);
        assertThat(outputs.nbd4j()).contains("zzzz\\x00");
        outputs.assertSame();
        SideBySide.nbdsh(dir, List.of("--filter=blocksize-policy", "--filter=blocksize", "memory", "1M",
                "blocksize-minimum=4K", "blocksize-preferred=64K", "blocksize-maximum=1M", "minblock=512"), script)
                .assertSame();
    }

    @Test
    void ddrescueFailsTheReadsOfUnrescuedRangesWithEio() throws IOException {
        Path mapfile = Files.writeString(dir.resolve("rescued.map"), """
                # Mapfile. Created by GNU ddrescue
                # current_pos  current_status
                0x00000000     +
                #      pos        size  status
                0x00000000  0x00010000  +
                0x00010000  0x00001000  -
                0x00011000  0x000EF000  +
                """);
        String script = """
                for offset, count in [(0, 512), (65024, 512), (65536, 512), (69632, 512), (65436, 200), (1048064, 512)]:
                    try:
                        h.pread(count, offset)
                        print(offset, count, "read")
                    except nbd.Error as e:
                        print(offset, count, e.errno)
                print(h.is_read_only(), h.can_cache())
                """;
        SideBySide.Outputs outputs = SideBySide.nbdsh(dir,
                List.of("--filter=ddrescue", "pattern", "1M", "ddrescue-mapfile=" + mapfile), script);
        assertThat(outputs.nbd4j()).contains("65536 512 EIO");
        outputs.assertSame();
    }
}
