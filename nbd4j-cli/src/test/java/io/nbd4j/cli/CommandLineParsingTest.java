package io.nbd4j.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line follows GNU getopt_long's rules, as nbdkit's does. */
class CommandLineParsingTest {

    @Test
    void optionsMayFollowThePluginAndItsParameters() throws Exception {
        CliOptions o = CliOptions.parse("memory", "1G", "-U", "-", "size=2", "--run", "nbdinfo \"$uri\"");

        assertThat(o.words).containsExactly("memory", "1G", "size=2");
        assertThat(o.unixSocket).isEqualTo("-");
        assertThat(o.run).isEqualTo("nbdinfo \"$uri\"");
    }

    @Test
    void shortFlagsClusterAndTheLastMayTakeTheRestAsItsValue() throws Exception {
        CliOptions o = CliOptions.parse("-rvfp10809", "null");

        assertThat(o.readOnly).isTrue();
        assertThat(o.verbose).isTrue();
        assertThat(o.foreground).isTrue();
        assertThat(o.port).isEqualTo(10809);
    }

    @Test
    void valuesComeAttachedAfterAnEqualsSignOrAsTheNextArgument() throws Exception {
        CliOptions o = CliOptions.parse("--filter=cow", "--filter", "stats", "-Dfile.zero=1", "-D", "a.b=2",
                "--pidfile", "/tmp/p", "-e", "-", "null");

        assertThat(o.filters).containsExactly("cow", "stats");
        assertThat(o.debugFlags).containsExactly("file.zero=1", "a.b=2");
        assertThat(o.pidFile).isEqualTo(Path.of("/tmp/p"));
        assertThat(o.exportName).isEqualTo("-");
    }

    @Test
    void aValueIsTakenEvenWhenItLooksLikeAnOption() throws Exception {
        assertThat(CliOptions.parse("--run", "-v", "null").run).isEqualTo("-v");
    }

    @Test
    void longOptionsMayBeShortenedToAnUnambiguousPrefix() throws Exception {
        CliOptions o = CliOptions.parse("--fore", "--read", "--print", "null");

        assertThat(o.foreground).isTrue();
        assertThat(o.readOnly).as("--read names two spellings of one option").isTrue();
        assertThat(o.printUri).isTrue();
    }

    @Test
    void aPrefixOfTwoDifferentOptionsIsRefusedNamingBoth() {
        assertThatThrownBy(() -> CliOptions.parse("--tls-", "null"))
                .isInstanceOf(UsageException.class)
                .hasMessage("option '--tls-' is ambiguous; possibilities: '--tls-certificates' '--tls-verify-peer' '--tls-psk'");
    }

    @Test
    void anExactNameWinsOverLongerNamesItBegins() throws Exception {
        CliOptions o = CliOptions.parse("--tls=on", "--run", "x", "null");

        assertThat(o.tls).isEqualTo("on");
        assertThat(o.run).isEqualTo("x");
    }

    @Test
    void aClusterMayEndWithAnOptionThatTakesTheNextArgument() throws Exception {
        CliOptions o = CliOptions.parse("-rfU", "/tmp/sock", "memory", "1G");

        assertThat(o.readOnly).isTrue();
        assertThat(o.foreground).isTrue();
        assertThat(o.unixSocket).isEqualTo("/tmp/sock");
        assertThat(o.words).containsExactly("memory", "1G");
    }

    @Test
    void anUnknownLetterInsideAClusterIsNamed() {
        assertThatThrownBy(() -> CliOptions.parse("-rx", "null")).hasMessage("invalid option -- 'x'");
    }

    @Test
    void theArgumentAfterAnOptionIsItsValueEvenWhenItIsADoubleDash() throws Exception {
        CliOptions o = CliOptions.parse("--run", "--", "memory", "1G");

        assertThat(o.run).as("nbdkit --run -- runs a command named --").isEqualTo("--");
        assertThat(o.words).containsExactly("memory", "1G");
    }

    @Test
    void anEmptyValueAfterAnEqualsSignIsAValue() throws Exception {
        assertThat(CliOptions.parse("--run=", "null").run).isEmpty();
        assertThat(CliOptions.parse("--export=", "null").exportName).isEmpty();
    }

    @Test
    void aSingleDashWordIsReadAsLettersNotAsALongName() {
        assertThatThrownBy(() -> CliOptions.parse("-run", "x")).hasMessage("invalid option -- 'u'");
    }

    @Test
    void aliasesSetTheSameOption() throws Exception {
        assertThat(CliOptions.parse("--export-name", "a").exportName).isEqualTo("a");
        assertThat(CliOptions.parse("--export=b").exportName).isEqualTo("b");
        assertThat(CliOptions.parse("--no-fork").foreground).isTrue();
        assertThat(CliOptions.parse("--max-in-flight", "4").threads).isEqualTo(4);
    }

    @Test
    void theLastOfARepeatedOptionWins() throws Exception {
        CliOptions o = CliOptions.parse("--run", "true", "-f", "-f", "--run", "echo hi");

        assertThat(o.run).isEqualTo("echo hi");
    }

    @Test
    void doubleDashEndsTheOptionsAndALoneDashIsAWord() throws Exception {
        CliOptions o = CliOptions.parse("sh", "-", "--", "-x", "--run");

        assertThat(o.words).containsExactly("sh", "-", "-x", "--run");
        assertThat(o.run).isNull();
    }

    @Test
    void mistakesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> CliOptions.parse("--bogus")).hasMessage("unrecognized option '--bogus'");
        assertThatThrownBy(() -> CliOptions.parse("-x")).hasMessage("invalid option -- 'x'");
        assertThatThrownBy(() -> CliOptions.parse("--foreground=1")).hasMessage("option '--foreground' doesn't allow an argument");
        assertThatThrownBy(() -> CliOptions.parse("null", "--run")).hasMessage("option '--run' requires an argument");
        assertThatThrownBy(() -> CliOptions.parse("null", "-U")).hasMessage("option requires an argument -- 'U'");
        assertThatThrownBy(() -> CliOptions.parse("-p", "abc")).hasMessage("-p: 'abc' is not a number");
    }

    @Test
    void numbersMayBeHexadecimal() throws Exception {
        assertThat(CliOptions.parse("--mask-handshake=0x1").maskHandshake).isEqualTo(1);
    }

    @Test
    void helpListsEveryVisibleOptionWithItsAliasesAndNoHiddenOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Help.printUsage(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String help = bytes.toString(StandardCharsets.UTF_8);

        assertThat(help).contains("  -p, --port=PORT", "  -e, --exportname, --export-name, --export=NAME",
                "      --run=CMD", "  -f, --foreground, --no-fork");
        assertThat(help).doesNotContain("internal-ready-file", "--long-options");
    }

    @Test
    void optionListsForShellCompletionHoldEveryVisibleName() {
        ByteArrayOutputStream longs = new ByteArrayOutputStream();
        ByteArrayOutputStream shorts = new ByteArrayOutputStream();
        Help.listOptions(true, new PrintStream(longs, true, StandardCharsets.UTF_8));
        Help.listOptions(false, new PrintStream(shorts, true, StandardCharsets.UTF_8));

        assertThat(longs.toString(StandardCharsets.UTF_8).lines()).contains("--port", "--ip-addr", "--run", "--stdin")
                .doesNotContain("--long-options");
        assertThat(shorts.toString(StandardCharsets.UTF_8).lines()).contains("-p", "-U", "-V").hasSize(13);
    }
}
