package io.nbd4j.plugins.eval;

import io.nbd4j.plugins.sh.Scripts;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalPluginTest {
    @TempDir
    Path dir;

    private EvalPlugin plugin;

    @AfterEach
    void unload() {
        if (plugin != null) {
            plugin.unload();
        }
    }

    private Handle serve(String... keyValues) throws Exception {
        plugin = new EvalPlugin();
        for (int i = 0; i < keyValues.length; i += 2) {
            plugin.config(keyValues[i], keyValues[i + 1]);
        }
        plugin.configComplete();
        plugin.getReady(plugin.threadModel());
        return plugin.open(Scripts.openRequest());
    }

    @Test
    void snippetsServeAFileNamedByAKeyTheConfigSnippetHandles() throws Exception {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[8192]);
        Handle h = serve(
                "config", "[ \"$2\" = file ] && ln -sf \"$(realpath \"$3\")\" $tmpdir/file",
                "get_size", "stat -Lc %s $tmpdir/file",
                "pread", "dd if=$tmpdir/file skip=$4 count=$3 iflag=count_bytes,skip_bytes status=none",
                "pwrite", "dd of=$tmpdir/file seek=$4 conv=notrunc oflag=seek_bytes status=none",
                "file", disk.toString());

        assertThat(h.size()).isEqualTo(8192);
        assertThat(h.canWrite()).as("implied by pwrite").isTrue();
        h.pwrite(ByteBuffer.wrap("hello".getBytes()), 4096, 0);
        ByteBuffer back = ByteBuffer.allocate(5);
        h.pread(back, 4096, 0);

        assertThat(new String(back.array())).isEqualTo("hello");
        assertThat(new String(Files.readAllBytes(disk), 4096, 5)).isEqualTo("hello");
    }

    @Test
    void dataMethodsImplyTheirCanMethods() throws Exception {
        Handle h = serve("get_size", "echo 1M", "pread", "exit 1", "pwrite", "cat >/dev/null", "flush", "true",
                "trim", "true", "zero", "true", "extents", "echo 0 1M", "cache", "true");

        assertThat(List.of(h.canWrite(), h.canFlush(), h.canTrim(), h.canZero(), h.canExtents())).containsOnly(true);
        assertThat(h.canCache()).isEqualTo(CacheMode.NATIVE);
        assertThat(h.canFua()).as("emulated through flush").isEqualTo(FuaMode.EMULATE);
        assertThat(h.canFastZero()).as("not implied: the opposite of can_zero").isFalse();
    }

    @Test
    void anExplicitCanMethodWinsOverTheImpliedOne() throws Exception {
        Handle h = serve("get_size", "echo 1M", "pwrite", "cat >/dev/null", "can_write", "exit 3");

        assertThat(h.canWrite()).isFalse();
    }

    @Test
    void withoutDataMethodsTheCanMethodsAreFalse() throws Exception {
        Handle h = serve("get_size", "echo 1M");

        assertThat(List.of(h.canWrite(), h.canFlush(), h.canTrim(), h.canZero(), h.canExtents())).containsOnly(false);
        assertThat(h.canCache()).isEqualTo(CacheMode.NONE);
        assertThat(plugin.threadModel()).isEqualTo(ThreadModel.SERIALIZE_ALL_REQUESTS);
    }

    @Test
    void theMissingSnippetAnswersForEveryMethodNotGiven() throws Exception {
        Handle h = serve("get_size", "echo 1M", "missing", "case \"$1\" in can_*) exit 0 ;; *) exit 2 ;; esac");

        assertThat(List.of(h.canWrite(), h.canFlush(), h.canMultiConn())).containsOnly(true);
        assertThat(h.size()).isEqualTo(1 << 20);
    }

    @Test
    void aFailingMissingSnippetFailsTheMethodsNotGiven() throws Exception {
        Handle h = serve("missing", "[ \"$1\" = get_size ] || exit 2; echo 'EROFS not here' >&2; exit 1");

        assertThatThrownBy(h::size).isInstanceOfSatisfying(NbdException.class, e -> {
            assertThat(e.error()).isEqualTo(NbdError.EPERM);
            assertThat(e).hasMessage("not here");
        });
    }

    @Test
    void snippetsGetTheShArgumentsAndTheOpenHandle() throws Exception {
        Path log = dir.resolve("calls");
        Handle h = serve(
                "open", "echo conn-1",
                "get_size", "echo \"$@\" >> " + log + "; echo 4K",
                "pread", "echo \"$@\" >> " + log + "; head -c $3 /dev/zero",
                "zero", "echo \"$@\" >> " + log);

        h.size();
        h.pread(ByteBuffer.allocate(512), 1024, 0);
        h.zero(512, 0, io.nbd4j.spi.Flags.MAY_TRIM);

        assertThat(Files.readAllLines(log))
                .containsExactly("get_size conn-1", "pread conn-1 512 1024", "zero conn-1 512 0 may_trim");
    }

    @Test
    void unknownKeysNeedAConfigSnippet() {
        plugin = new EvalPlugin();

        assertThatThrownBy(() -> plugin.config("colour", "blue")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'colour'").hasMessageContaining("no config snippet");
    }

    @Test
    void aMethodGivenTwiceIsRefused() throws Exception {
        plugin = new EvalPlugin();
        plugin.config("get_size", "echo 1M");

        assertThatThrownBy(() -> plugin.config("get_size", "echo 2M")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("get_size defined more than once");
    }

    @Test
    void threadModelSnippetIsAsked() throws Exception {
        serve("get_size", "echo 1M", "thread_model", "echo parallel");

        assertThat(plugin.threadModel()).isEqualTo(ThreadModel.PARALLEL);
    }

    @Test
    void tmpdirWithTheSnippetsIsRemovedAtUnload() throws Exception {
        serve("get_size", "echo 1M");
        Path tmpdir = plugin.tmpdir();
        assertThat(tmpdir.resolve("get_size")).exists();

        plugin.unload();
        plugin = null;

        assertThat(tmpdir).doesNotExist();
    }

    @Test
    void dumpReportsMaxKnownStatusAndTheDumpSnippet() throws Exception {
        assertThat(new EvalPlugin().dump()).containsEntry("max_known_status", "3");

        serve("dump_plugin", "echo foo=bar");

        assertThat(plugin.dump()).isEqualTo(Map.of("max_known_status", "3", "foo", "bar"));
    }
}
