package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugins that build disk images from files (floppy, iso, linuxdisk) and make file systems for
 * clients (tmpdisk, ondemand), driven through {@code ./nbd4j} by real clients, checked with the
 * tools that read such images (xorriso, sfdisk, e2fsck, debugfs, fsck.fat, mtools), and compared
 * with nbdkit where both must agree.
 */
class DiskImagePluginsTest {
    private static final Pattern EXPORT_NAME = Pattern.compile("\"export-name\": \"([^\"]*)\"");

    @TempDir
    Path dir;

    private Path source() throws Exception {
        Path src = dir.resolve("src");
        if (!Files.exists(src)) {
            Files.createDirectories(src.resolve("sub"));
            Files.writeString(src.resolve("Makefile.am"), "SUBDIRS = sub\n");
            Files.writeString(src.resolve("sub/a file with a long name.txt"), "deep inside\n");
            Files.write(src.resolve("sub/data.bin"), new byte[200_000]);
        }
        return src;
    }

    /** A private $TMPDIR for the server, so the test can see what it leaves there. */
    private Path tmpdir() throws Exception {
        return Files.createDirectories(dir.resolve("tmpdir"));
    }

    private void assertNothingLeftIn(Path d) throws Exception {
        try (Stream<Path> left = Files.list(d)) {
            assertThat(left).as("files left in %s", d).isEmpty();
        }
    }

    private static String sh(Path workDir, String script) {
        return Commands.runOk(Commands.DEFAULT_TIMEOUT, workDir, List.of("sh", "-c", script)).stdout();
    }

    @ServerTest
    void theIsoHoldsTheDirectoryWithLongNamesAndNothingIsLeftInTmpdir(Server server) throws Exception {
        Path out = dir.resolve("cd.iso");
        ProcessResult r = ServerProcess.captive(server, Map.of("TMPDIR", tmpdir().toString()),
                List.of("iso", source().toString(), "params=-JrT"), "nbdcopy \"$uri\" " + out);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertNothingLeftIn(tmpdir());
        sh(dir, "xorriso -osirrox on -indev cd.iso -extract / extracted 2>/dev/null");
        assertThat(dir.resolve("extracted/sub/a file with a long name.txt")).hasContent("deep inside");
        assertThat(dir.resolve("extracted/Makefile.am")).hasContent("SUBDIRS = sub");
    }

    @ServerTest
    void theLinuxDiskIsAGptDiskWhosePartitionHoldsTheDirectory(Server server) throws Exception {
        ProcessResult r = ServerProcess.captive(server, Map.of("TMPDIR", tmpdir().toString()),
                List.of("linuxdisk", source().toString(), "label=ROOT"), "nbdcopy \"$uri\" " + dir.resolve("disk.img"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertNothingLeftIn(tmpdir());
        assertThat(sh(dir, "sfdisk --verify disk.img")).contains("No errors detected");
        String content = sh(dir, "start=$(sfdisk -d disk.img | sed -n 's/.*start= *\\([0-9]*\\),.*/\\1/p');"
                + " dd if=disk.img of=fs.img bs=512 skip=$start status=none;"
                + " e2fsck -fn fs.img >/dev/null && debugfs -R 'cat \"/sub/a file with a long name.txt\"' fs.img 2>/dev/null");
        assertThat(content).isEqualTo("deep inside\n");
    }

    /**
     * The same layout as nbdkit's (sizes, start, attributes). The random GUIDs differ, and so does the
     * partition type: nbdkit 1.32 writes the text of the Linux type's GUID where its 16 bytes belong.
     */
    @Test
    void theLinuxDiskHasNbdkitsLayout() throws Exception {
        Path src = source();
        SideBySide.run(dir, List.of("linuxdisk", src.toString(), "type=ext3"), uri -> {
            Path img = dir.resolve("layout.img");
            Clients.nbdcopy(Commands.DEFAULT_TIMEOUT, uri, img.toString());
            return sh(dir, "sfdisk -d layout.img | grep -v -e label-id -e '^device' | sed 's/, type=[-0-9A-F]*, uuid=[-0-9A-F]*//'; rm layout.img");
        }).assertSame();
    }

    @Test
    void theFloppyPassesFsckReportsItsHolesAndMtoolsCopiesEveryFileBack() throws Exception {
        Path img = dir.resolve("floppy.img");
        ProcessResult r = ServerProcess.captive(Server.NBD4J, Map.of("LANG", "C.UTF-8"),
                List.of("floppy", source().toString(), "label=FILES"),
                "nbdinfo --map \"$uri\" > " + dir.resolve("map.txt") + "; nbdcopy \"$uri\" " + img);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dir.resolve("map.txt")).as("the unused space is reported as holes")
                .content().contains("hole,zero").contains("data");
        String fsck = sh(dir, "dd if=floppy.img of=part.img bs=1M skip=1 status=none && fsck.fat -n part.img");
        assertThat(fsck).contains("part.img: ");
        sh(dir, "mkdir back && MTOOLS_SKIP_CHECK=1 mcopy -s -i floppy.img@@1M '::/*' back/ && diff -r src back");
        assertThat(sh(dir, "MTOOLS_SKIP_CHECK=1 mlabel -s -i floppy.img@@1M ::")).contains("FILES");
    }

    /**
     * The list holds the default export first (its name '' in the list, "default" once opened), then
     * the other disks; hidden files are left out. Exports are listed as qemu-nbd and nbdinfo see them.
     */
    @Test
    void ondemandListsExportsAsNbdkitDoes() throws Exception {
        Path exports = Files.createDirectories(dir.resolve("exports"));
        for (String name : List.of("default", "export1", "export2", ".hidden")) {
            Files.createFile(exports.resolve(name));
        }
        SideBySide.run(dir, List.of("ondemand", "dir=" + exports, "size=1M"), uri -> {
            String socket = uri.substring(uri.indexOf("socket=") + "socket=".length());
            String listed = Commands.runOk(List.of("qemu-nbd", "-k", socket, "-L")).stdout();
            String names = String.join(",", EXPORT_NAME.matcher(Clients.nbdinfo("--list", "--json", uri)).results()
                    .map(m -> m.group(1)).sorted().toList());
            return listed.lines().filter(l -> l.contains("export")).sorted().toList() + " " + names;
        }).assertSame();
    }

    /** nbdkit's test-ondemand-locking, printing what each connection got: the same on both servers. */
    @Test
    void ondemandRefusesASecondClientOfAnExportInUse() throws Exception {
        Path exports = Files.createDirectories(dir.resolve("exports"));
        SideBySide.run(dir, List.of("ondemand", "dir=" + exports, "size=8M"), uri -> Clients.nbdsh(List.of(),
                "u = '" + uri + "'",
                "named = lambda name: u.replace('nbd+unix:///', 'nbd+unix:///' + name, 1)",
                "h1 = nbd.NBD(); h1.connect_uri(named('export1')); print('first:', h1.get_size())",
                """
                h2 = nbd.NBD()
                try:
                    h2.connect_uri(named('export1'))
                    print('second: accepted')
                except nbd.Error:
                    print('second: refused')
                """,
                "h3 = nbd.NBD(); h3.connect_uri(named('export2')); print('other:', h3.get_size())")).assertSame();
    }

    @Test
    void tmpdiskGivesEachClientAnExt4FileSystemAsNbdkitDoes() {
        SideBySide.nbdsh(dir, List.of("tmpdisk", "16M", "label=scratch"),
                "print(h.get_size())",
                "sb = h.pread(1024, 1024); print(hex(sb[56] | sb[57] << 8), sb[120:127])").assertSame();
    }

    @Test
    void logNullKeepsTheServerQuietAndSyslogIsRefused() throws Exception {
        Path exports = Files.createDirectories(dir.resolve("exports"));
        String badExport = "nbdinfo \"nbd+unix:///bad.name?socket=$unixsocket\" 2>/dev/null; true";
        ProcessResult loud = ServerProcess.captive(Server.NBD4J, List.of("ondemand", "dir=" + exports, "size=1M"), badExport);
        assertThat(loud.stderr()).contains("invalid export name");
        ProcessResult quiet = ServerProcess.captive(Server.NBD4J, List.of("--log=null", "ondemand", "dir=" + exports, "size=1M"), badExport);
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.stderr()).doesNotContain("invalid export name");
        ProcessResult syslog = ServerProcess.captive(Server.NBD4J, List.of("--log=syslog", "null", "1M"), "true");
        assertThat(syslog.exitCode()).isEqualTo(1);
        assertThat(syslog.stderr()).contains("--log=syslog");
    }
}
