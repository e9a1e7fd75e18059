package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nbd4j.protocol.HandshakeFlags;
import io.nbd4j.protocol.Info;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Option-mode behaviour against nbdkit with named exports, descriptions and block size constraints. */
class NegotiationTest {
    private static final long SIZE = 1 << 20;
    private static ExternalServer server;

    @BeforeAll
    static void startServer() {
        server = ExternalServer.nbdkit("--filter=exportname", "--filter=blocksize-policy", "memory", "1M",
                "exportname=alpha", "exportname=beta", "exportname-list=explicit", "exportname-strict=true",
                "exportdesc=fixed:scratch disk", "blocksize-minimum=512", "blocksize-preferred=4096",
                "blocksize-maximum=65536");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void greetingOffersFixedNewstyleAndNoZeroes() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            assertThat(negotiation.handshakeFlags())
                    .isEqualTo(HandshakeFlags.FIXED_NEWSTYLE | HandshakeFlags.NO_ZEROES);
        }
    }

    @Test
    void listReturnsEveryAdvertisedExportWithItsDescription() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            assertThat(negotiation.list()).containsExactly(
                    new ExportEntry("alpha", "scratch disk"), new ExportEntry("beta", "scratch disk"));
        }
    }

    @Test
    void infoReportsSizeNameDescriptionAndBlockSizesAndStaysInOptionMode() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            ExportInfo info = negotiation.info("beta", List.of(Info.NAME, Info.DESCRIPTION, Info.BLOCK_SIZE));

            assertThat(info.name()).isEqualTo("beta");
            assertThat(info.size()).isEqualTo(SIZE);
            assertThat(info.description()).contains("scratch disk");
            assertThat(info.blockSizes()).contains(new BlockSizes(512, 4096, 65536));
            assertThat(negotiation.list()).hasSize(2);
        }
    }

    @Test
    void infoOnAnUnknownExportFailsWithErrUnknown() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            assertThatThrownBy(() -> negotiation.info("gamma", List.of()))
                    .isInstanceOfSatisfying(NbdOptionException.class, e -> {
                        assertThat(e.option()).isEqualTo(Option.INFO);
                        assertThat(e.replyType()).isEqualTo(OptionReply.ERR_UNKNOWN);
                    });
            assertThat(negotiation.info("alpha", List.of()).size()).isEqualTo(SIZE);
        }
    }

    @Test
    void listMetaContextsOffersBaseAllocation() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            assertThat(negotiation.structuredReplies()).isTrue();

            assertThat(negotiation.listMetaContexts("alpha", List.of()))
                    .extracting(MetaContext::name).contains(MetaContexts.BASE_ALLOCATION);
        }
    }

    @Test
    void setMetaContextsSelectsBaseAllocationForBlockStatusAfterGo() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            negotiation.structuredReplies();
            List<MetaContext> selected = negotiation.setMetaContexts("alpha",
                    List.of(MetaContexts.BASE_ALLOCATION, "x-unknown:thing"));
            assertThat(selected).extracting(MetaContext::name).containsExactly(MetaContexts.BASE_ALLOCATION);

            try (NbdClient client = negotiation.go("alpha")) {
                assertThat(client.metaContexts()).isEqualTo(selected);
                // Other tests write near the start of the shared disk; its last 64 KiB stay untouched.
                List<Extent> extents = client.blockStatus(65536, SIZE - 65536, 0);
                assertThat(extents.getFirst().offset()).isEqualTo(SIZE - 65536);
                assertThat(extents.getFirst().isHole()).isTrue();
            }
        }
    }

    @Test
    void metaContextsSetForAnotherExportDoNotApplyToTheOneEntered() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            negotiation.structuredReplies();
            negotiation.setMetaContexts("beta", List.of(MetaContexts.BASE_ALLOCATION));

            try (NbdClient client = negotiation.go("alpha")) {
                assertThat(client.metaContexts()).isEmpty();
                assertThatThrownBy(() -> client.blockStatus(512, 0, 0)).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void unknownOptionIsAnsweredWithErrUnsupAndNegotiationContinues() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            List<RawOptionReply> replies = negotiation.rawOption(0x4242, "anything".getBytes(StandardCharsets.UTF_8));

            assertThat(replies).singleElement().satisfies(reply -> {
                assertThat(reply.option()).isEqualTo(0x4242);
                assertThat(reply.type()).isEqualTo(OptionReply.ERR_UNSUP);
            });
            assertThat(negotiation.list()).hasSize(2);
        }
    }

    @Test
    void rawListReturnsOneServerReplyPerExportThenAck() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            assertThat(negotiation.rawOption(Option.LIST, new byte[0])).extracting(RawOptionReply::type)
                    .containsExactly(OptionReply.SERVER, OptionReply.SERVER, OptionReply.ACK);
        }
    }

    @Test
    void goOnAnUnknownExportFailsAndLeavesOptionModeUsable() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            assertThatThrownBy(() -> negotiation.go("gamma"))
                    .isInstanceOfSatisfying(NbdOptionException.class,
                            e -> assertThat(e.replyType()).isEqualTo(OptionReply.ERR_UNKNOWN));

            try (NbdClient client = negotiation.go("beta")) {
                assertThat(client.exportInfo().name()).isEqualTo("beta");
            }
        }
    }

    @Test
    void exportNameEntersTransmissionWithoutGo() throws Exception {
        try (NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            try (NbdClient client = negotiation.exportName("alpha")) {
                assertThat(client.size()).isEqualTo(SIZE);
                assertThat(client.exportInfo().blockSizes()).isEmpty();
                client.pwrite(new byte[] {1, 2, 3, 4}, 8192);
                assertThat(client.pread(8192, 4)).containsExactly(1, 2, 3, 4);
            }
        }
    }

    @Test
    void abortEndsTheNegotiation() throws Exception {
        NbdNegotiation negotiation = NbdNegotiation.open(server.address());

        negotiation.abort();

        assertThatThrownBy(negotiation::list).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void extendedHeadersAreUsedIfTheServerAgreesAndStructuredRepliesOtherwise() throws Exception {
        NbdClient.Options options = NbdClient.Options.builder().exportName("alpha").extendedHeaders(true).build();
        try (NbdClient client = server.connect(options)) {
            // nbdkit 1.32 predates extended headers; a newer nbdkit would accept them.
            assertThat(client.structuredRepliesNegotiated()).isTrue();
            client.pwrite(new byte[] {9, 8, 7}, 4096);
            assertThat(client.pread(4096, 3)).containsExactly(9, 8, 7);
        }
    }

    @Test
    void connectByUriEntersTheExportNamedInThePath() throws Exception {
        try (NbdClient client = NbdClient.connect(server.uri("beta"), NbdClient.Options.defaults())) {
            assertThat(client.exportInfo().name()).isEqualTo("beta");
            assertThat(client.exportInfo().blockSizes()).contains(new BlockSizes(512, 4096, 65536));
            assertThat(client.metaContexts()).extracting(MetaContext::name)
                    .containsExactly(MetaContexts.BASE_ALLOCATION);
        }
    }
}
