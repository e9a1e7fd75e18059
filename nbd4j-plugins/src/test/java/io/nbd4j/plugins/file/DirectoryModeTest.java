package io.nbd4j.plugins.file;

import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nbd4j.plugins.file.FilePluginTest.configured;
import static io.nbd4j.plugins.file.Requests.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class DirectoryModeTest {
    @TempDir
    Path tmp;
    Path dir;
    Path secret;

    @BeforeEach
    void populate() throws Exception {
        dir = Files.createDirectory(tmp.resolve("exports"));
        for (String name : new String[] {"a.img", "b.img", "c.img"}) {
            Files.writeString(dir.resolve(name), "content of " + name);
        }
        secret = Files.writeString(tmp.resolve("secret"), "outside the directory");
        Files.createDirectory(dir.resolve("subdir"));
        Files.writeString(dir.resolve("subdir").resolve("x"), "in a subdirectory");
        Files.createSymbolicLink(dir.resolve("escape"), secret);
        Files.createSymbolicLink(dir.resolve("relative-escape"), Path.of("../secret"));
        Files.createSymbolicLink(dir.resolve("alias"), Path.of("a.img"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
    }

    private static String readAll(Handle h) throws Exception {
        ByteBuffer b = ByteBuffer.allocate((int) h.size());
        h.pread(b, 0, 0);
        return new String(b.array(), StandardCharsets.UTF_8);
    }

    @Test
    void listsOneExportPerRegularFileAndServesEachItsOwnContent() throws Exception {
        FilePlugin plugin = configured("dir=" + dir);
        assertThat(plugin.listExports(false, false))
                .containsExactlyInAnyOrder(new Export("a.img"), new Export("b.img"), new Export("c.img"));
        for (String name : new String[] {"a.img", "b.img", "c.img"}) {
            try (Handle h = plugin.open(open(name))) {
                assertThat(readAll(h)).isEqualTo("content of " + name);
            }
        }
        assertThat(plugin.openFileCount()).isZero();
    }

    @Test
    void listFollowsTheDirectorysOwnOrderAsNbdkitDoes() throws Exception {
        Path many = Files.createDirectory(tmp.resolve("many"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(many.resolve("disk" + (i * 7 % 20)), "x");
        }
        List<String> readdirOrder;
        try (var entries = Files.list(many)) {
            readdirOrder = entries.map(p -> p.getFileName().toString()).toList();
        }
        assumeFalse(readdirOrder.equals(readdirOrder.stream().sorted().toList()), "this file system lists names sorted");

        FilePlugin plugin = configured("dir=" + many);

        assertThat(plugin.listExports(false, false)).extracting(Export::name).containsExactlyElementsOf(readdirOrder);
    }

    @Test
    void directoryIsAnAliasOfDir() throws Exception {
        FilePlugin plugin = configured("directory=" + dir);
        assertThat(plugin.listExports(false, false)).extracting(Export::name)
                .containsExactlyInAnyOrder("a.img", "b.img", "c.img");
    }

    @Test
    void filesAddedAfterStartAreListedAndServed() throws Exception {
        FilePlugin plugin = configured("dir=" + dir);
        assertThat(plugin.listExports(false, false)).hasSize(3);
        Files.writeString(dir.resolve("late.img"), "late");
        assertThat(plugin.listExports(false, false)).contains(new Export("late.img"));
        try (Handle h = plugin.open(open("late.img"))) {
            assertThat(readAll(h)).isEqualTo("late");
        }
    }

    @Test
    void hasNoDefaultExport() throws Exception {
        assertThat(configured("dir=" + dir).defaultExport(false, false)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../secret", "exports/../secret", "subdir/x", "a.img/", "/etc/passwd",
            "escape", "relative-escape", "alias", "dangling", "subdir", "missing.img", "a.img\0"})
    void refusesEveryNameThatIsNotAPlainFileInTheDirectory(String name) throws Exception {
        FilePlugin plugin = configured("dir=" + dir);
        assertThatThrownBy(() -> plugin.open(open(name))).isInstanceOf(NbdException.class);
        assertThat(plugin.openFileCount()).isZero();
    }

    @Test
    void refusalsSayWhyBeforeAnythingIsOpened() throws Exception {
        FilePlugin plugin = configured("dir=" + dir);
        assertThatThrownBy(() -> plugin.open(open("escape"))).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> plugin.open(open("alias"))).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> plugin.open(open("subdir"))).hasMessageContaining("directory");
        assertThatThrownBy(() -> plugin.open(open("missing.img"))).hasMessageContaining("no export named");
        assertThatThrownBy(() -> plugin.open(open("../secret"))).hasMessageContaining("not a plain file name");
        assertThatThrownBy(() -> plugin.open(open(""))).hasMessageContaining("no default export");
    }

    @Test
    void openRefusesASymlinkSwappedInAfterTheChecks() throws Exception {
        Files.delete(dir.resolve("b.img"));
        Files.createSymbolicLink(dir.resolve("b.img"), secret);
        // Bypass the listing checks and go straight to the O_NOFOLLOW open.
        assertThatThrownBy(() -> DiskFile.openInDirectory(dir, "b.img", false))
                .isInstanceOf(NbdException.class).hasMessageContaining("symbolic link");
    }

    @Test
    void fifoIsNeitherListedNorOpened() throws Exception {
        Process p = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start();
        assertThat(p.waitFor()).isZero();
        FilePlugin plugin = configured("dir=" + dir);
        assertThat(plugin.listExports(false, false)).doesNotContain(new Export("pipe"));
        assertThatThrownBy(() -> plugin.open(open("pipe"))).isInstanceOf(NbdException.class);
        // Even the raw open does not block on a FIFO with no writer, and refuses it by type.
        assertThatThrownBy(() -> DiskFile.openInDirectory(dir, "pipe", false))
                .isInstanceOf(NbdException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void symlinksInsideAllowsLinksToFilesInTheSameDirectoryOnly() throws Exception {
        FilePlugin plugin = configured("dir=" + dir, "symlinks=inside");
        assertThat(plugin.listExports(false, false)).contains(new Export("alias"))
                .doesNotContain(new Export("escape"), new Export("relative-escape"), new Export("dangling"));
        try (Handle h = plugin.open(open("alias"))) {
            assertThat(readAll(h)).isEqualTo("content of a.img");
        }
        assertThatThrownBy(() -> plugin.open(open("escape"))).isInstanceOf(NbdException.class);
        assertThatThrownBy(() -> plugin.open(open("relative-escape"))).isInstanceOf(NbdException.class);
        assertThatThrownBy(() -> plugin.open(open("dangling"))).isInstanceOf(NbdException.class);
        assertThat(plugin.openFileCount()).isZero();
    }

    @Test
    void aLinkAndItsTargetShareOneOpenFile() throws Exception {
        FilePlugin plugin = configured("dir=" + dir, "symlinks=inside");
        try (Handle viaLink = plugin.open(open("alias")); Handle direct = plugin.open(open("a.img"))) {
            assertThat(plugin.openFileCount()).isEqualTo(1);
            viaLink.pwrite(ByteBuffer.wrap("C".getBytes(StandardCharsets.UTF_8)), 0, 0);
            assertThat(readAll(direct)).isEqualTo("Content of a.img");
        }
    }
}
