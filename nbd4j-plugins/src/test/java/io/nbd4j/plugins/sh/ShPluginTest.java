package io.nbd4j.plugins.sh;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShPluginTest {
    /** A RAM disk in $tmpdir/disk, kept with dd, in the manner of nbdkit's example script. */
    static final String RAM_DISK = """
            #!/bin/sh
            disk="$tmpdir/disk"
            case "$1" in
              config)
                case "$2" in
                  size) echo "$3" > "$tmpdir/size" ;;
                  *) echo "EINVAL unknown parameter $2" >&2; exit 1 ;;
                esac ;;
              config_complete)
                [ -f "$tmpdir/size" ] || { echo "EINVAL size= is required" >&2; exit 1; }
                truncate -s "$(cat "$tmpdir/size")" "$disk" ;;
              thread_model) echo parallel ;;
              open) mktemp -d "$tmpdir/handle-XXXXXX" ;;
              close) rm -rf "$2" ;;
              get_size) stat -L -c %s "$disk" ;;
              can_write|can_flush|can_trim|can_zero|can_multi_conn) exit 0 ;;
              can_fua) echo native ;;
              pread) dd if="$disk" skip="$4" count="$3" iflag=skip_bytes,count_bytes status=none ;;
              pwrite) dd of="$disk" seek="$4" conv=notrunc oflag=seek_bytes status=none ;;
              flush) echo "$2" >> "$tmpdir/flushes" ;;
              trim|zero)
                dd if=/dev/zero of="$disk" seek="$4" count="$3" conv=notrunc oflag=seek_bytes iflag=count_bytes status=none ;;
              *) exit 2 ;;
            esac
            """;

    @TempDir
    Path dir;

    private ShPlugin plugin;

    @AfterEach
    void unload() {
        if (plugin != null) {
            plugin.unload();
        }
    }

    private Handle serve(Path script, String... keyValues) throws Exception {
        plugin = new ShPlugin();
        plugin.config("script", script.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            plugin.config(keyValues[i], keyValues[i + 1]);
        }
        plugin.configComplete();
        plugin.getReady(plugin.threadModel());
        return plugin.open(Scripts.openRequest());
    }

    private Handle serveCases(String cases) throws Exception {
        return serve(Scripts.caseScript(dir, cases));
    }

    private static byte[] read(Handle h, int count, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        h.pread(buffer, offset, 0);
        return buffer.array();
    }

    @Test
    void ramDiskScriptReadsBackWritesZeroesAndTrims() throws Exception {
        Handle h = serve(Scripts.executable(dir, "ramdisk.sh", RAM_DISK), "size", "64K");
        byte[] pattern = new byte[4096];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7 + 1);
        }

        assertThat(h.size()).isEqualTo(65536);
        assertThat(h.canWrite()).isTrue();
        assertThat(h.canFua()).isEqualTo(FuaMode.NATIVE);
        assertThat(h.canMultiConn()).isTrue();
        h.pwrite(ByteBuffer.wrap(pattern), 8192, Flags.FUA);
        assertThat(read(h, 4096, 8192)).isEqualTo(pattern);

        h.zero(1024, 8192, Flags.MAY_TRIM);
        h.trim(1024, 8192 + 3072, 0);
        byte[] expected = pattern.clone();
        Arrays.fill(expected, 0, 1024, (byte) 0);
        Arrays.fill(expected, 3072, 4096, (byte) 0);
        assertThat(read(h, 4096, 8192)).isEqualTo(expected);

        h.flush(0);
        String handleDir = ((ScriptHandle) h).handleString();
        assertThat(Files.readString(plugin.tmpdir().resolve("flushes"))).isEqualTo(handleDir + "\n");
        h.close();
        assertThat(Path.of(handleDir)).doesNotExist();
    }

    @Test
    void scriptErrorsCarryTheErrnoAndMessageFromStderr() throws Exception {
        Handle h = serveCases("""
                  get_size) echo 1M ;;
                  can_write) exit 0 ;;
                  pread) echo 'ENOSPC Out of space' >&2; exit 1 ;;
                  pwrite) cat >/dev/null; echo 'ENOMEM status five is an error too' >&2; exit 5 ;;
                """);

        assertThatThrownBy(() -> read(h, 512, 0)).isInstanceOfSatisfying(NbdException.class, e -> {
            assertThat(e.error()).isEqualTo(NbdError.ENOSPC);
            assertThat(e).hasMessage("Out of space");
        });
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.allocate(512), 0, 0)).isInstanceOfSatisfying(NbdException.class, e -> {
            assertThat(e.error()).isEqualTo(NbdError.ENOMEM);
            assertThat(e).hasMessage("status five is an error too");
        });
    }

    @Test
    void missingMethodsGetTheShPluginDefaults() throws Exception {
        Handle h = serveCases("""
                  get_size) echo 1M ;;
                  pread) dd if=/dev/zero count=$3 iflag=count_bytes status=none ;;
                """);

        assertThat(plugin.threadModel()).isEqualTo(ThreadModel.SERIALIZE_ALL_REQUESTS);
        assertThat(plugin.listExports(false, false)).containsExactly(Export.defaultExport());
        assertThat(plugin.defaultExport(false, false)).isEmpty();
        assertThat(h.canWrite()).isFalse();
        assertThat(h.canFlush()).isFalse();
        assertThat(h.isRotational()).isFalse();
        assertThat(h.canTrim()).isFalse();
        assertThat(h.canZero()).isFalse();
        assertThat(h.canFastZero()).isTrue();
        assertThat(h.canExtents()).isFalse();
        assertThat(h.canMultiConn()).isFalse();
        assertThat(h.canFua()).isEqualTo(FuaMode.NONE);
        assertThat(h.canCache()).isEqualTo(CacheMode.NONE);
        assertThat(h.description()).isNull();
        assertThat(h.blockSize()).isNull();
        assertThat(read(h, 512, 0)).containsOnly(0);
        assertThatThrownBy(() -> h.zero(512, 0, 0)).isInstanceOfSatisfying(NbdException.class,
                e -> assertThat(e.error()).isEqualTo(NbdError.ENOTSUP));
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.allocate(512), 0, 0)).isInstanceOf(NbdException.class)
                .hasMessageContaining("pwrite not implemented");
        assertThatThrownBy(() -> h.extents(512, 0, 0, (o, l, t) -> {})).isInstanceOf(NbdException.class);
    }

    @Test
    void missingGetSizeIsAnErrorBecauseItIsRequired() throws Exception {
        Handle h = serveCases("  open) echo h ;;");

        assertThatThrownBy(h::size).isInstanceOf(NbdException.class).hasMessageContaining("get_size method is required");
    }

    @Test
    void exitThreeMakesEveryBooleanFalseWhileZeroMakesItTrue() throws Exception {
        Handle no = serveCases("""
                  get_size) echo 1M ;;
                  can_*|is_rotational) exit 3 ;;
                """);
        assertThat(List.of(no.canWrite(), no.canFlush(), no.isRotational(), no.canTrim(), no.canZero(),
                no.canFastZero(), no.canExtents(), no.canMultiConn())).containsOnly(false);
        plugin.unload();

        Handle yes = serveCases("""
                  get_size) echo 1M ;;
                  can_fua|can_cache) exit 2 ;;
                  can_*|is_rotational) exit 0 ;;
                """);
        assertThat(List.of(yes.canWrite(), yes.canFlush(), yes.isRotational(), yes.canTrim(), yes.canZero(),
                yes.canFastZero(), yes.canExtents(), yes.canMultiConn())).containsOnly(true);
        assertThat(yes.canFua()).as("missing can_fua follows can_flush").isEqualTo(FuaMode.EMULATE);
    }

    @Test
    void exitThreeFromAMethodThatIsNotBooleanIsAnError() throws Exception {
        Handle h = serveCases("  get_size) exit 3 ;;");

        assertThatThrownBy(h::size).isInstanceOf(NbdException.class).hasMessageContaining("unexpected code (3/false)");
    }

    @Test
    void fuaAndCacheModesAreReadFromTheAnswer() throws Exception {
        Handle h = serveCases("""
                  can_fua) echo emulate ;;
                  can_cache) echo Native ;;
                """);

        assertThat(h.canFua()).isEqualTo(FuaMode.EMULATE);
        assertThat(h.canCache()).isEqualTo(CacheMode.NATIVE);
    }

    @ParameterizedTest
    @CsvSource({"4096, 4096", "1M, 1048576", "1m, 1048576", "64K, 65536", "8s, 4096", "2G, 2147483648"})
    void getSizeAcceptsSizeSuffixes(String printed, long bytes) throws Exception {
        Handle h = serveCases("  get_size) echo " + printed + " ;;");

        assertThat(h.size()).isEqualTo(bytes);
    }

    @Test
    void unparsableSizeIsAnError() throws Exception {
        Handle h = serveCases("  get_size) echo big ;;");

        assertThatThrownBy(h::size).isInstanceOf(NbdException.class).hasMessageContaining("could not parse output from get_size");
    }

    @ParameterizedTest
    @CsvSource({"parallel, PARALLEL", "serialize_requests, SERIALIZE_REQUESTS", "serialize-requests, SERIALIZE_REQUESTS",
            "SERIALIZE_CONNECTIONS, SERIALIZE_CONNECTIONS", "serialize_all_requests, SERIALIZE_ALL_REQUESTS",
            "whatever, SERIALIZE_ALL_REQUESTS"})
    void threadModelAnswerIsMapped(String answer, ThreadModel model) throws Exception {
        serveCases("  thread_model) echo " + answer + " ;;");

        assertThat(plugin.threadModel()).isEqualTo(model);
    }

    @Test
    void preadMustPrintExactlyCountBytes() throws Exception {
        Handle h = serveCases("""
                  pread) if [ "$4" = 0 ]; then printf 0123456789; else head -c $(($3 + 1)) /dev/zero; fi ;;
                """);

        assertThatThrownBy(() -> read(h, 512, 0)).isInstanceOfSatisfying(NbdException.class, e -> {
            assertThat(e.error()).isEqualTo(NbdError.EIO);
            assertThat(e).hasMessageContaining("expecting 512 bytes but received 10 bytes");
        });
        assertThatThrownBy(() -> read(h, 512, 512)).hasMessageContaining("received 513 bytes");
    }

    @Test
    void readWorksIntoDirectBuffersAndDespiteAFloodOnStderr() throws Exception {
        Handle h = serveCases("""
                  pread) head -c 300000 /dev/zero | tr '\\0' e >&2; head -c $3 /dev/zero | tr '\\0' d ;;
                """);
        ByteBuffer direct = ByteBuffer.allocateDirect(200_000);

        h.pread(direct, 0, 0);

        byte[] got = new byte[direct.capacity()];
        direct.get(0, got);
        assertThat(got).containsOnly('d');
    }

    @Test
    void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
        Handle h = serveCases("""
                  thread_model) echo parallel ;;
                  pread) printf "%0${3}d" "$4" ;;
                """);
        assertThat(plugin.threadModel()).isEqualTo(ThreadModel.PARALLEL);
        List<Thread> readers = new java.util.ArrayList<>();
        String[] answers = new String[16];
        for (int i = 0; i < answers.length; i++) {
            int slot = i;
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    answers[slot] = new String(read(h, 64, slot * 4096L), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    answers[slot] = e.toString();
                }
            }));
        }
        for (Thread t : readers) {
            t.join();
        }

        for (int i = 0; i < answers.length; i++) {
            assertThat(answers[i]).isEqualTo(String.format("%064d", i * 4096L));
        }
    }

    @Test
    void pwriteToAScriptThatIgnoresStdinIsAnError() throws Exception {
        Handle h = serveCases("""
                  can_write) exit 0 ;;
                  pwrite) exit 0 ;;
                """);

        assertThatThrownBy(() -> h.pwrite(ByteBuffer.allocate(1 << 20), 0, 0)).isInstanceOf(NbdException.class)
                .hasMessageContaining("without reading all of its stdin");
    }

    @Test
    void extentsOutputIsParsedIntoTheSink() throws Exception {
        Handle h = serveCases("""
                  can_extents) exit 0 ;;
                  extents) echo "0 4K"; printf '4K\\t4K hole,zero\\n'; echo "8K 4K 2" ;;
                """);
        StringBuilder seen = new StringBuilder();

        h.extents(12288, 0, Flags.REQ_ONE, (offset, length, type) -> seen.append(offset).append(' ').append(length)
                .append(' ').append(type).append(';'));

        assertThat(h.canExtents()).isTrue();
        assertThat(seen).hasToString("0 4096 0;4096 4096 3;8192 4096 2;");
    }

    @Test
    void listExportsAndDefaultExportAreParsedInTheirFormats() throws Exception {
        serveCases("""
                  list_exports) printf 'INTERLEAVED\\na\\nfirst disk\\nb\\n\\n' ;;
                  default_export) printf 'NAMES+DESCRIPTIONS\\nb\\nsecond disk\\n' ;;
                """);

        assertThat(plugin.listExports(true, false)).containsExactly(new Export("a", "first disk"), new Export("b"));
        assertThat(plugin.defaultExport(false, false)).isEqualTo("b");
    }

    @Test
    void withoutListExportsTheListingLeavesTheDefaultExportForTheServerToName() throws Exception {
        serveCases("""
                  default_export) echo called >> "$tmpdir/default_export"; echo hello ;;
                """);

        assertThat(plugin.listExports(false, false)).containsExactly(Export.defaultExport());
        assertThat(plugin.tmpdir().resolve("default_export")).as("default_export is not run by the listing").doesNotExist();
    }

    @Test
    void threadModelIsAskedWithoutConfigCompleteForDumpPlugin() throws Exception {
        Path script = Scripts.caseScript(dir, """
                  thread_model) echo serialize_connections ;;
                  config_complete) echo called >> "$tmpdir/config_complete" ;;
                """);
        plugin = new ShPlugin();
        plugin.config("script", script.toString());

        assertThat(plugin.threadModel()).isEqualTo(ThreadModel.SERIALIZE_CONNECTIONS);
        assertThat(plugin.tmpdir().resolve("config_complete")).doesNotExist();
    }

    @Test
    void anInlineScriptThatCannotBeReadFromStdinIsAConfigError() {
        plugin = new ShPlugin(() -> new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("stdin carries the NBD connection (-s)");
            }
        });

        assertThatThrownBy(() -> plugin.config("script", "-")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("script=-").hasMessageContaining("(-s)");
        assertThat(plugin.tmpdir()).as("the script's tmpdir is removed again").doesNotExist();
    }

    @Test
    void descriptionAndBlockSizeAreRead() throws Exception {
        Handle h = serveCases("""
                  export_description) echo 'my disk' ;;
                  block_size) echo 512 4K 1M ;;
                """);

        assertThat(h.description()).isEqualTo("my disk");
        assertThat(h.blockSize()).isEqualTo(new BlockSize(512, 4096, 1 << 20));
    }

    @Test
    void preconnectCanRefuseAClient() throws Exception {
        serveCases("""
                  preconnect) if [ "$2" = true ]; then echo 'EPERM read-only clients are refused' >&2; exit 1; fi ;;
                """);

        plugin.preconnect(false);
        assertThatThrownBy(() -> plugin.preconnect(true)).isInstanceOfSatisfying(NbdException.class,
                e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
    }

    @Test
    void tmpdirIsGivenToTheScriptAndRemovedAfterUnload() throws Exception {
        Path mark = dir.resolve("unloaded");
        Handle h = serve(Scripts.caseScript(dir, """
                  config) echo "$3" > "$tmpdir/mark" ;;
                  get_size) echo 1M > "$tmpdir/answer"; cat "$tmpdir/answer" ;;
                  unload) echo "$tmpdir" > "$(cat "$tmpdir/mark")" ;;
                """), "mark", mark.toString());
        Path tmpdir = plugin.tmpdir();

        assertThat(h.size()).isEqualTo(1 << 20);
        assertThat(tmpdir.resolve("answer")).exists();
        plugin.unload();
        plugin = null;

        assertThat(Files.readString(mark).strip()).isEqualTo(tmpdir.toString());
        assertThat(tmpdir).doesNotExist();
    }

    @Test
    void aBareWordAfterTheScriptGoesToTheScriptsMagicKey() throws Exception {
        Path script = Scripts.caseScript(dir, """
                  magic_config_key) echo file ;;
                  load|config) echo "$@" >> "$tmpdir/calls" ;;
                """);
        plugin = new ShPlugin();
        plugin.config("script", script.toString());

        assertThat(plugin.magicConfigKey()).isEqualTo("script");
        plugin.config(plugin.magicConfigKey(), "disk.img");
        plugin.config("other", "x");

        assertThat(Files.readAllLines(plugin.tmpdir().resolve("calls")))
                .containsExactly("load", "config file disk.img", "config other x");
    }

    @Test
    void aBareWordIsRefusedWhenTheScriptHasNoMagicKey() throws Exception {
        plugin = new ShPlugin();
        plugin.config("script", Scripts.caseScript(dir, "  config) ;;").toString());

        assertThatThrownBy(() -> plugin.config("script", "stray")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expecting key=value on the command line but got: stray");
    }

    @Test
    void parametersAreRefusedWhenTheScriptHasNoConfigMethod() throws Exception {
        plugin = new ShPlugin();
        plugin.config("script", Scripts.caseScript(dir, "").toString());

        assertThatThrownBy(() -> plugin.config("size", "1M")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not need command line configuration");
    }

    @Test
    void aConfigErrorFromTheScriptNamesTheScript() throws Exception {
        Path script = Scripts.executable(dir, "ramdisk.sh", RAM_DISK);
        plugin = new ShPlugin();
        plugin.config("script", script.toString());

        assertThatThrownBy(() -> plugin.config("colour", "blue")).isInstanceOf(ConfigException.class)
                .hasMessage(script.toRealPath() + ": unknown parameter colour");
        assertThatThrownBy(plugin::configComplete).isInstanceOf(ConfigException.class)
                .hasMessageContaining("size= is required");
    }

    @Test
    void theFirstParameterMustBeTheScript() {
        plugin = new ShPlugin();

        assertThatThrownBy(() -> plugin.config("size", "1M")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("first parameter must be script=");
        assertThatThrownBy(plugin::configComplete).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing script parameter");
    }

    @Test
    void aScriptThatIsNotExecutableIsRefused() throws Exception {
        Path script = Scripts.caseScript(dir, "");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
        plugin = new ShPlugin();

        assertThatThrownBy(() -> plugin.config("script", script.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be an executable file");
        assertThatThrownBy(() -> plugin.config("script", dir.resolve("absent.sh").toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such file");
    }

    @Test
    void anInlineScriptFromStdinWithoutShebangRunsUnderBinSh() throws Exception {
        String inline = """
                case "$1" in
                  get_size) echo 1M ;;
                  pread) dd if=/dev/zero count=$3 iflag=count_bytes status=none ;;
                  *) exit 2 ;;
                esac
                """;
        plugin = new ShPlugin(() -> new ByteArrayInputStream(inline.getBytes(StandardCharsets.UTF_8)));
        plugin.config("script", "-");
        plugin.configComplete();
        Handle h = plugin.open(Scripts.openRequest());

        assertThat(h.size()).isEqualTo(1 << 20);
        assertThat(read(h, 4096, 0)).containsOnly(0);
        assertThat(plugin.tmpdir().resolve("inline-script.sh")).exists();
    }

    @Test
    void dumpReportsTheKnownExitStatusesAndTheScriptsOwnLines() throws Exception {
        assertThat(new ShPlugin().dump()).containsEntry("max_known_status", "3");

        serveCases("  dump_plugin) echo 'mykey=my value'; echo 'second=2' ;;");

        assertThat(plugin.dump()).containsExactly(
                java.util.Map.entry("max_known_status", "3"),
                java.util.Map.entry("mykey", "my value"),
                java.util.Map.entry("second", "2"));
    }
}
