package io.nbd4j.server;

import io.nbd4j.protocol.HandshakeFlags;
import io.nbd4j.protocol.Info;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;
import io.nbd4j.protocol.TransmissionFlags;
import io.nbd4j.server.TestClient.OptionAnswer;
import io.nbd4j.spi.BelowAnswer;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTest {
    final RamDisk disk = new RamDisk(1 << 20);
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    TestClient connect(NbdServer.Builder builder) throws Exception {
        return fixture.connect(builder);
    }

    TestClient connect() throws Exception {
        return connect(ServerFixture.builder(disk));
    }

    @Test
    void greetingOffersFixedNewstyleAndNoZeroesMaskedByMaskHandshake() throws Exception {
        try (TestClient c = connect()) {
            assertThat(c.greeting()).isEqualTo(HandshakeFlags.FIXED_NEWSTYLE | HandshakeFlags.NO_ZEROES);
        }
        fixture.stop();
        try (TestClient c = connect(ServerFixture.builder(disk).maskHandshake(HandshakeFlags.FIXED_NEWSTYLE))) {
            assertThat(c.greeting()).isEqualTo(HandshakeFlags.FIXED_NEWSTYLE);
        }
    }

    @Test
    void clientFlagTheServerDidNotOfferClosesTheConnection() throws Exception {
        try (TestClient c = connect(ServerFixture.builder(disk).maskHandshake(HandshakeFlags.FIXED_NEWSTYLE))) {
            c.greeting();
            c.clientFlags(HandshakeFlags.C_FIXED_NEWSTYLE | HandshakeFlags.C_NO_ZEROES);
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void exportNameAnswersSizeAndFlagsWithZeroesUnlessTheClientAskedForNone() throws Exception {
        try (TestClient c = connect()) {
            c.greeting();
            c.clientFlags(HandshakeFlags.C_FIXED_NEWSTYLE);
            c.sendOption(Option.EXPORT_NAME, new byte[0]);
            ByteBuffer reply = c.read(10 + 124);
            assertThat(reply.getLong()).isEqualTo(1 << 20);
            assertThat(reply.getShort() & TransmissionFlags.HAS_FLAGS).isNotZero();
            while (reply.hasRemaining()) {
                assertThat(reply.get()).isZero();
            }
            c.request(0, 0, 9, 0, 512, null);
            assertThat(c.simpleReply(9)).isZero();
            assertThat(c.read(512).array()).containsOnly(0);
        }
        try (TestClient c = fixture.client()) {
            c.start();
            c.sendOption(Option.EXPORT_NAME, new byte[0]);
            assertThat(c.read(10).getLong()).isEqualTo(1 << 20);
            c.request(0, 0, 10, 0, 0, null);   // a zero-length read gets its error at once, so no padding came first
            assertThat(c.simpleReply(10)).isEqualTo(22);
        }
    }

    @Test
    void clientWithoutFixedNewstyleIsClosedOnAnyOptionButExportName() throws Exception {
        try (TestClient c = connect()) {
            c.greeting();
            c.clientFlags(0);
            c.sendOption(Option.LIST, new byte[0]);
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void listShowsThePluginsExportsAsEachFilterChangesThemInnermostFirst() throws Exception {
        disk.exports = List.of(new Export("a", "first"), new Export("b"));
        Filter outer = appending("outer");
        Filter inner = appending("inner");
        try (TestClient c = connect(ServerFixture.builder(disk, outer, inner))) {
            c.start();
            assertThat(listed(c)).containsExactly("a/first", "b/", "inner/", "outer/");
        }
    }

    /** The exports an {@code NBD_OPT_LIST} answers, each as {@code name/description}. */
    private static List<String> listed(TestClient c) throws Exception {
        List<OptionAnswer> answers = c.option(Option.LIST, new byte[0]);
        assertThat(c.lastType(answers)).isEqualTo(OptionReply.ACK);
        List<String> names = new ArrayList<>();
        for (OptionAnswer a : answers.subList(0, answers.size() - 1)) {
            assertThat(a.type()).isEqualTo(OptionReply.SERVER);
            ByteBuffer b = ByteBuffer.wrap(a.data());
            byte[] name = new byte[b.getInt()];
            b.get(name);
            byte[] description = new byte[b.remaining()];
            b.get(description);
            names.add(new String(name, StandardCharsets.UTF_8) + "/" + new String(description, StandardCharsets.UTF_8));
        }
        return names;
    }

    @Test
    void defaultExportIsAskedOncePerConnectionAndNamesTheListedDefault() throws Exception {
        disk.defaultExport = "disk0";
        try (TestClient c = connect()) {
            c.start();
            assertThat(listed(c)).containsExactly("disk0/");
            assertThat(c.lastType(c.option(Option.INFO, TestClient.infoPayload("")))).isEqualTo(OptionReply.ACK);
            c.go("");
            assertThat(disk.opens).extracting(r -> r.exportName()).containsExactly("disk0", "disk0");
            assertThat(disk.calls("defaultExport")).isEqualTo(1);
        }
        try (TestClient c = fixture.client()) {
            c.start();
            c.go("");
            assertThat(disk.calls("defaultExport")).as("a new connection asks again").isEqualTo(2);
        }
    }

    @Test
    void listLeavesOutARefusedDefaultExportAndTheRefusalIsAskedAgain() throws Exception {
        disk.defaultExport = null;
        try (TestClient c = connect()) {
            c.start();
            assertThat(listed(c)).isEmpty();
            disk.defaultExport = "late";
            c.go("");
            assertThat(disk.opens).extracting(r -> r.exportName()).containsExactly("late");
            assertThat(disk.calls("defaultExport")).isEqualTo(2);
        }
    }

    @Test
    void eachLayerNamesItsOwnDefaultInItsListAndTheOutermostDefaultIsOpened() throws Exception {
        disk.defaultExport = "disk0";
        Filter renaming = new Filter() {
            @Override public String name() { return "renaming"; }
            @Override public String description() { return "renames the default export"; }

            @Override
            public List<Export> listExports(boolean readOnly, boolean tls, List<Export> below) {
                List<Export> all = new ArrayList<>(below);
                all.add(Export.defaultExport());
                return all;
            }

            @Override
            public String defaultExport(boolean readOnly, boolean tls, String below) {
                return "outer-" + below;
            }
        };
        try (TestClient c = connect(ServerFixture.builder(disk, renaming))) {
            c.start();
            assertThat(listed(c)).containsExactly("disk0/", "outer-disk0/");
            c.go("");
            assertThat(disk.opens).extracting(r -> r.exportName()).containsExactly("outer-disk0");
            assertThat(disk.calls("defaultExport")).isEqualTo(1);
        }
    }

    @Test
    void aLayerOpenedWithTheEmptyNameBelowTheTopOpensItsOwnDefaultAsInNbdkit() throws Exception {
        disk.defaultExport = "disk0";
        List<String> filterOpened = new ArrayList<>();
        Filter keepsEmptyName = new Filter() {
            @Override public String name() { return "keeps-empty-name"; }
            @Override public String description() { return "maps the default export to the empty name"; }

            @Override
            public String defaultExport(boolean readOnly, boolean tls, String below) {
                return "";
            }

            @Override
            public Handle open(OpenRequest request, NextOpener below) throws IOException {
                filterOpened.add(request.exportName());
                return new FilterHandle(below.open(request));
            }
        };
        try (TestClient c = connect(ServerFixture.builder(disk, keepsEmptyName))) {
            c.start();
            c.go("");
        }
        assertThat(filterOpened).containsExactly("");
        assertThat(disk.opens).extracting(r -> r.exportName()).containsExactly("disk0");
        disk.defaultExport = null;
        try (TestClient c = connect(ServerFixture.builder(disk, keepsEmptyName))) {
            c.start();
            assertThat(c.lastType(c.option(Option.GO, TestClient.infoPayload("")))).isEqualTo(OptionReply.ERR_UNKNOWN);
        }
    }

    @Test
    void aFilterThatAnswersItselfKeepsTheListingAndTheDefaultFromThePlugin() throws Exception {
        disk.defaultExport = "hidden";
        Filter answering = new Filter() {
            @Override public String name() { return "answering"; }
            @Override public String description() { return "answers export questions without the plugin"; }

            @Override
            public List<Export> listExportsLazily(boolean readOnly, boolean tls, BelowAnswer<List<Export>> below) {
                return List.of(new Export("shown"));
            }

            @Override
            public String defaultExportLazily(boolean readOnly, boolean tls, BelowAnswer<String> below) {
                return "shown";
            }
        };
        try (TestClient c = connect(ServerFixture.builder(disk, answering))) {
            c.start();
            assertThat(listed(c)).containsExactly("shown/");
            c.go("");
            assertThat(disk.opens).extracting(r -> r.exportName()).containsExactly("shown");
            assertThat(disk.calls("listExports")).isZero();
            assertThat(disk.calls("defaultExport")).isZero();
        }
    }

    private static Filter appending(String name) {
        return new Filter() {
            @Override public String name() { return name; }
            @Override public String description() { return "adds an export"; }

            @Override
            public List<Export> listExports(boolean readOnly, boolean tls, List<Export> below) {
                List<Export> all = new ArrayList<>(below);
                all.add(new Export(name));
                return all;
            }
        };
    }

    @Test
    void listWithDataIsInvalid() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            assertThat(c.lastType(c.option(Option.LIST, new byte[] {1}))).isEqualTo(OptionReply.ERR_INVALID);
        }
    }

    @Test
    void infoOpensPreparesFinishesAndClosesAProbeAndStaysInNegotiation() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            List<OptionAnswer> answers = c.option(Option.INFO, TestClient.infoPayload(""));
            assertThat(c.lastType(answers)).isEqualTo(OptionReply.ACK);
            assertThat(answers.getFirst().type()).isEqualTo(OptionReply.INFO);
            assertThat(disk.opens).singleElement().matches(r -> r.probe());
            assertThat(List.of(disk.calls("open"), disk.calls("prepare"), disk.calls("finish"), disk.calls("close")))
                    .containsExactly(1, 1, 1, 1);
            TestClient.Export export = c.go("");
            assertThat(export.size()).isEqualTo(1 << 20);
            assertThat(disk.opens.get(1).probe()).isFalse();
        }
    }

    @Test
    void goSubstitutesTheDefaultExportAndAnswersNameDescriptionAndBlockSize() throws Exception {
        disk.defaultExport = "disk0";
        disk.blockSize = new BlockSize(512, 4096, 1 << 20);
        try (TestClient c = connect()) {
            c.start();
            List<OptionAnswer> answers = c.option(Option.GO, TestClient.infoPayload("", Info.NAME, Info.DESCRIPTION, Info.BLOCK_SIZE, 99));
            assertThat(c.lastType(answers)).isEqualTo(OptionReply.ACK);
            assertThat(answers).hasSize(5);
            assertThat(disk.opens.getFirst().exportName()).isEqualTo("disk0");
            List<String> infos = new ArrayList<>();
            for (OptionAnswer a : answers.subList(0, 4)) {
                ByteBuffer b = ByteBuffer.wrap(a.data());
                int type = b.getShort();
                switch (type) {
                    case Info.EXPORT -> infos.add("export " + b.getLong());
                    case Info.NAME, Info.DESCRIPTION -> infos.add(type + " " + StandardCharsets.UTF_8.decode(b));
                    case Info.BLOCK_SIZE -> infos.add("block " + b.getInt() + " " + b.getInt() + " " + b.getInt());
                    default -> infos.add("unexpected " + type);
                }
            }
            assertThat(infos).containsExactly("export 1048576", "1 disk0", "2 a test disk", "block 512 4096 1048576");
        }
    }

    @Test
    void withoutDeclaredBlockSizesTheMaximumIsNbdkitsLargestRequest() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            List<OptionAnswer> answers = c.option(Option.INFO, TestClient.infoPayload("", Info.BLOCK_SIZE));
            ByteBuffer block = answers.stream().map(a -> ByteBuffer.wrap(a.data()))
                    .filter(b -> b.remaining() >= 2 && b.getShort(0) == Info.BLOCK_SIZE).findFirst().orElseThrow();
            assertThat(block.getInt(2 + 8)).isEqualTo(64 << 20);
        }
    }

    @Test
    void emptyNameIsRefusedWhenThePluginHasNoDefaultExport() throws Exception {
        disk.defaultExport = null;
        try (TestClient c = connect()) {
            c.start();
            assertThat(c.lastType(c.option(Option.GO, TestClient.infoPayload("")))).isEqualTo(OptionReply.ERR_UNKNOWN);
            assertThat(disk.calls("open")).isZero();
            assertThat(c.go("named").size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void openFailureAnswersUnknownWithTheMessageAndNegotiationGoesOn() throws Exception {
        disk.failOpen = true;
        try (TestClient c = connect()) {
            c.start();
            List<OptionAnswer> answers = c.option(Option.GO, TestClient.infoPayload("missing"));
            assertThat(answers).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(OptionReply.ERR_UNKNOWN);
                assertThat(a.text()).contains("no such disk: missing");
            });
            disk.failOpen = false;
            assertThat(c.go("present").size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void malformedInfoPayloadIsInvalid() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            byte[] bad = ByteBuffer.allocate(6).putInt(100).putShort((short) 0).array();
            assertThat(c.lastType(c.option(Option.INFO, bad))).isEqualTo(OptionReply.ERR_INVALID);
            byte[] longName = TestClient.infoPayload("n".repeat(5000));
            assertThat(c.lastType(c.option(Option.GO, longName))).isEqualTo(OptionReply.ERR_INVALID);
            assertThat(c.go("").size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void structuredRepliesAndExtendedHeadersAreUnsupportedWhenDisabled() throws Exception {
        try (TestClient c = connect(ServerFixture.builder(disk).structuredReplies(false))) {
            c.start();
            assertThat(c.lastType(c.option(Option.STRUCTURED_REPLY, new byte[0]))).isEqualTo(OptionReply.ERR_UNSUP);
            assertThat(c.lastType(c.option(Option.EXTENDED_HEADERS, new byte[0]))).isEqualTo(OptionReply.ERR_UNSUP);
            assertThat(c.go("").has(TransmissionFlags.SEND_DF)).isFalse();
        }
    }

    @Test
    void metaContextsNeedStructuredRepliesAndCanBeDisabled() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            byte[] query = TestClient.metaPayload("", MetaContexts.BASE_ALLOCATION);
            assertThat(c.lastType(c.option(Option.SET_META_CONTEXT, query))).isEqualTo(OptionReply.ERR_INVALID);
            assertThat(c.lastType(c.option(Option.LIST_META_CONTEXT, query))).isEqualTo(OptionReply.ERR_INVALID);
        }
        fixture.stop();
        try (TestClient c = connect(ServerFixture.builder(disk).metaContexts(false))) {
            c.start();
            c.structuredReplies();
            byte[] query = TestClient.metaPayload("", MetaContexts.BASE_ALLOCATION);
            assertThat(c.lastType(c.option(Option.SET_META_CONTEXT, query))).isEqualTo(OptionReply.ERR_UNSUP);
        }
    }

    @Test
    void listMetaContextFindsBaseAllocationByWildcardAndSetIgnoresWildcardsAndUnknownNames() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            c.structuredReplies();
            List<OptionAnswer> listed = c.option(Option.LIST_META_CONTEXT, TestClient.metaPayload("", "base:"));
            assertThat(listed).hasSize(2);
            assertThat(new String(listed.getFirst().data(), 4, listed.getFirst().data().length - 4, StandardCharsets.UTF_8))
                    .isEqualTo(MetaContexts.BASE_ALLOCATION);
            assertThat(c.option(Option.LIST_META_CONTEXT, TestClient.metaPayload(""))).hasSize(2);
            assertThat(c.option(Option.SET_META_CONTEXT, TestClient.metaPayload("", "base:", "x-other:thing", "base:nothing")))
                    .singleElement().matches(a -> a.type() == OptionReply.ACK);
            List<OptionAnswer> set = c.option(Option.SET_META_CONTEXT, TestClient.metaPayload("", MetaContexts.BASE_ALLOCATION));
            assertThat(set).hasSize(2);
            assertThat(ByteBuffer.wrap(set.getFirst().data()).getInt()).isNotZero();
        }
    }

    @Test
    void startTlsIsRefusedByPolicyWhenTlsIsOff() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            assertThat(c.lastType(c.option(Option.STARTTLS, new byte[0]))).isEqualTo(OptionReply.ERR_POLICY);
            assertThat(c.go("").size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void unknownOptionsAreUnsupported() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            assertThat(c.lastType(c.option(42, new byte[] {1, 2, 3}))).isEqualTo(OptionReply.ERR_UNSUP);
            assertThat(c.lastType(c.option(Option.PEEK_EXPORT, new byte[0]))).isEqualTo(OptionReply.ERR_UNSUP);
        }
    }

    @Test
    void oversizedOptionIsTooBigAndNegotiationGoesOn() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            assertThat(c.lastType(c.option(Option.LIST, new byte[100 << 10]))).isEqualTo(OptionReply.ERR_TOO_BIG);
            assertThat(c.lastType(c.option(Option.ABORT, new byte[0]))).isEqualTo(OptionReply.ACK);
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void absurdOptionLengthClosesTheConnection() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            c.write(ByteBuffer.allocate(16).putLong(Magic.IHAVEOPT).putInt(Option.LIST).putInt(0x7fff_ffff).flip());
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void badOptionMagicClosesTheConnection() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            c.write(ByteBuffer.allocate(16).putLong(0x1234).putInt(Option.LIST).putInt(0).flip());
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void tenThousandOptionsAreServedAndOneMoreClosesTheConnection() throws Exception {
        try (TestClient c = connect()) {
            c.start();
            ByteBuffer one = ByteBuffer.allocate(16).putLong(Magic.IHAVEOPT).putInt(Option.STRUCTURED_REPLY).putInt(0).flip();
            ByteBuffer all = ByteBuffer.allocate(16 * 10_001);
            for (int i = 0; i < 10_001; i++) {
                all.put(one.duplicate());
            }
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.write(all.flip());
                } catch (java.io.IOException ignored) {
                    // the server hangs up before reading the last option
                }
            });
            for (int i = 0; i < 10_000; i++) {
                assertThat(c.readOptionReply().type()).isEqualTo(OptionReply.ACK);
            }
            assertThat(c.serverClosed()).isTrue();
            writer.join();
        }
    }
}
