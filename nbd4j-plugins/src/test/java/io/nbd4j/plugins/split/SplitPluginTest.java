package io.nbd4j.plugins.split;

import io.nbd4j.plugins.file.RecordingExtents;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.nbd4j.plugins.file.Requests.filled;
import static io.nbd4j.plugins.file.Requests.open;
import static io.nbd4j.plugins.file.Requests.openReadOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitPluginTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    private Path sparse(String name, long size) throws IOException {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    private static SplitPlugin configured(Path... files) throws ConfigException {
        SplitPlugin plugin = new SplitPlugin();
        for (Path f : files) {
            plugin.config("file", f.toString());
        }
        plugin.configComplete();
        return plugin;
    }

    private static byte[] read(Handle h, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void diskIsTheFilesConcatenatedInOrder() throws Exception {
        byte[] a = filled(4096, 'a'), b = filled(1000, 'b'), c = filled(3000, 'c');
        SplitPlugin plugin = configured(file("1", a), file("2", b), file("3", c));
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(8096);
            assertThat(read(h, 0, 8096)).isEqualTo(concat(a, b, c));
            assertThat(read(h, 4095, 2)).containsExactly('a', 'b');
            assertThat(read(h, 5095, 2)).containsExactly('b', 'c');
        }
    }

    @Test
    void writeSpanningEveryBoundaryLandsInEachFile() throws Exception {
        Path one = file("1", filled(4096, 'a')), two = file("2", filled(1000, 'b')), three = file("3", filled(3000, 'c'));
        SplitPlugin plugin = configured(one, two, three);
        try (Handle h = plugin.open(open(""))) {
            ByteBuffer data = ByteBuffer.allocate(3000);
            data.position(500);   // the request's bytes start at the buffer's position
            data.put(filled(2500, 'x')).position(500);
            h.pwrite(data, 4000, Flags.FUA);
            assertThat(read(h, 3999, 2502)).isEqualTo(concat(filled(1, 'a'), filled(2500, 'x'), filled(1, 'c')));
        }
        assertThat(Files.readAllBytes(one)).isEqualTo(concat(filled(4000, 'a'), filled(96, 'x')));
        assertThat(Files.readAllBytes(two)).isEqualTo(filled(1000, 'x'));
        assertThat(Files.readAllBytes(three)).isEqualTo(concat(filled(1404, 'x'), filled(1596, 'c')));
    }

    @Test
    void emptyFilesTakeNoSpaceInTheDisk() throws Exception {
        SplitPlugin plugin = configured(file("1", filled(10, 'a')), file("empty", new byte[0]), file("3", filled(10, 'c')));
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(20);
            assertThat(read(h, 9, 2)).containsExactly('a', 'c');
        }
    }

    @Test
    void extentsArePerFileAndContiguousAcrossBoundaries() throws Exception {
        Path sparseOne = sparse("1", 2 * MIB);
        Path dataTwo = file("2", filled(MIB, 'd'));
        SplitPlugin plugin = configured(sparseOne, dataTwo, sparse("3", MIB));
        try (Handle h = plugin.open(open(""))) {
            h.pwrite(ByteBuffer.wrap(filled(4096, 'z')), 0, 0);
            RecordingExtents e = new RecordingExtents();
            h.extents(4 * MIB, 0, 0, e);
            if (!h.canExtents()) {
                assertThat(e.typeAt(MIB)).isEqualTo(Extents.DATA);
                return;
            }
            assertThat(e.typeAt(0)).isEqualTo(Extents.DATA);
            assertThat(e.typeAt(MIB)).isEqualTo(Extents.HOLE | Extents.ZERO);
            assertThat(e.typeAt(2 * MIB)).isEqualTo(Extents.DATA);
            assertThat(e.typeAt(3 * MIB - 1)).isEqualTo(Extents.DATA);
            assertThat(e.typeAt(3 * MIB)).isEqualTo(Extents.HOLE | Extents.ZERO);
            assertThat(e.all().getLast().offset() + e.all().getLast().length()).isEqualTo(4 * MIB);

            RecordingExtents first = new RecordingExtents();
            h.extents(3 * MIB, MIB, Flags.REQ_ONE, first);
            assertThat(first.all()).hasSize(1);
            assertThat(first.all().getFirst().type()).isEqualTo(Extents.HOLE | Extents.ZERO);
        }
    }

    @Test
    void zeroAndTrimSpanningABoundaryClearBothFiles() throws Exception {
        Path one = file("1", filled(MIB, 'a')), two = file("2", filled(MIB, 'b'));
        SplitPlugin plugin = configured(one, two);
        try (Handle h = plugin.open(open(""))) {
            try {
                h.zero(8192, MIB - 4096, 0);
            } catch (NbdException e) {
                assertThat(e.error()).isEqualTo(NbdError.ENOTSUP);   // no fast path: the server would write zeroes
                return;
            }
            assertThat(read(h, MIB - 4097, 8194)).isEqualTo(concat(filled(1, 'a'), new byte[8192], filled(1, 'b')));
            h.trim(2 * 4096, MIB - 8192, 0);
            h.flush(0);
        }
        assertThat(Files.size(one)).isEqualTo(MIB);
        assertThat(Files.size(two)).isEqualTo(MIB);
    }

    @Test
    void readOnlyConnectionRefusesWrites() throws Exception {
        SplitPlugin plugin = configured(file("1", filled(10, 'a')));
        try (Handle h = plugin.open(openReadOnly(""))) {
            assertThat(h.canWrite()).isFalse();
            assertThatThrownBy(() -> h.pwrite(ByteBuffer.wrap(filled(2, 'x')), 0, 0))
                    .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
        }
    }

    @Test
    void connectionsShareFilesSoFlushOnOneCoversTheOther() throws Exception {
        Path one = file("1", filled(4096, 'a'));
        SplitPlugin plugin = configured(one);
        try (Handle writer = plugin.open(open("")); Handle other = plugin.open(open(""))) {
            assertThat(writer.canMultiConn()).isTrue();
            writer.pwrite(ByteBuffer.wrap(filled(10, 'w')), 0, 0);
            other.flush(0);
            assertThat(read(other, 0, 10)).isEqualTo(filled(10, 'w'));
        }
    }

    @Test
    void badParametersAreConfigErrorsNamingTheParameter() throws Exception {
        assertThatThrownBy(() -> configured()).isInstanceOf(ConfigException.class).hasMessageContaining("file=");
        assertThatThrownBy(() -> configured(tmp.resolve("missing"))).isInstanceOf(ConfigException.class).hasMessageContaining("file=");
        assertThatThrownBy(() -> configured(tmp)).isInstanceOf(ConfigException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> new SplitPlugin().config("dir", "/tmp")).isInstanceOf(ConfigException.class).hasMessageContaining("dir");
    }
}
