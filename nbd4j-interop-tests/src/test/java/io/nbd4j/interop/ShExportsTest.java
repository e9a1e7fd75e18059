package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the sh plugin's export methods reach a client that lists, probes and opens exports with libnbd. */
class ShExportsTest {
    @TempDir
    Path dir;

    private Path script(String cases) throws Exception {
        Path script = Files.writeString(dir.resolve("exports.sh"), "#!/bin/sh\ncase \"$1\" in\n" + cases + "\n  *) exit 2 ;;\nesac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Scripts may count on it, as nbdkit's own tests do: the answer serves the list, every probe and the open. */
    @ServerTest
    void defaultExportIsAskedOncePerConnection(Server server) throws Exception {
        Path calls = dir.resolve("calls");
        Path script = script("""
                  default_export) echo x >> %s ;;
                  get_size) echo 1M ;;
                """.formatted(calls));
        try (ServerProcess s = ServerProcess.start(server, dir, "sh", script.toString())) {
            String out = Clients.nbdsh(List.of("--opt-mode", "-u", s.uri()),
                    "print(h.opt_list(lambda name, description: 0))",
                    "h.set_export_name('')",
                    "h.opt_info()",
                    "h.opt_info()",
                    "h.opt_go()",
                    "print(h.get_size())");

            assertThat(out.lines()).containsExactly("1", "1048576");
            assertThat(Files.readAllLines(calls)).hasSize(1);
        }
    }

    @ServerTest
    void infoAndGoGiveTheCanonicalNameAndDescriptionOnlyWhenAsked(Server server) throws Exception {
        Path script = script("""
                  default_export) echo hello ;;
                  open) echo "$3" ;;
                  export_description) echo "$2 world" ;;
                  get_size) echo 0 ;;
                """);
        try (ServerProcess s = ServerProcess.start(server, dir, "sh", script.toString())) {
            String plain = Clients.nbdsh(List.of("--opt-mode", "-u", s.uri()),
                    "h.set_export_name('')",
                    "h.opt_info()",
                    "print(h.get_size())",
                    "try:\n    h.get_canonical_export_name()\n    print('name sent unasked')\nexcept nbd.Error:\n    print('no name')");
            String full = Clients.nbdsh(List.of("--opt-mode", "-u", s.uri()),
                    "h.set_full_info(True)",
                    "h.set_export_name('a')",
                    "h.opt_info()",
                    "print(h.get_canonical_export_name(), '/', h.get_export_description())",
                    "h.set_export_name('')",
                    "h.opt_go()",
                    "print(h.get_canonical_export_name(), '/', h.get_export_description())");

            assertThat(plain.lines()).containsExactly("0", "no name");
            assertThat(full.lines()).containsExactly("a / a world", "hello / hello world");
        }
    }
}
