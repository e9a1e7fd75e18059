package io.nbd4j.filters.exportname;

import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdNegotiation;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.OpenRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportNameFilterTest {
    private final ScriptedPlugin disk = new ScriptedPlugin(4096).exports("a", "b", "c");

    private static List<String> listed(ServedStack served) throws IOException {
        try (NbdNegotiation n = NbdNegotiation.open(served.address())) {
            return n.list().stream().map(e -> e.name() + "/" + e.description()).toList();
        }
    }

    private ServedStack served(String... parameters) throws Exception {
        return ServedStack.of(disk, new ExportNameFilter()).config(parameters).start();
    }

    @Test
    void listPoliciesShowThePluginsListNothingTheDefaultOrTheExplicitNames() throws Exception {
        try (ServedStack served = served()) {
            assertThat(listed(served)).containsExactly("a/", "b/", "c/");
        }
        try (ServedStack served = served("exportname-list=empty")) {
            assertThat(listed(served)).isEmpty();
        }
        try (ServedStack served = served("exportname-list=defaultonly", "default-export=b")) {
            assertThat(listed(served)).containsExactly("b/");
        }
        try (ServedStack served = served("exportname_list=explicit", "exportname=z", "exportname=y", "exportdesc=fixed:hi")) {
            assertThat(listed(served)).containsExactly("z/hi", "y/hi");
        }
        try (ServedStack served = served("exportname-list=error")) {
            assertThatThrownBy(() -> listed(served)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void theDefaultExportOpensTheNamedOneAndAnEmptyNameLetsThePluginChoose() throws Exception {
        try (ServedStack served = served("default-export=b"); NbdClient client = served.connect()) {
            assertThat(client.exportInfo().name()).isEqualTo("b");
        }
        try (ServedStack served = served("default-export="); NbdClient ignored = served.connect()) {
            assertThat(disk.opens()).extracting(OpenRequest::exportName).containsExactly("b", "");
        }
    }

    @Test
    void strictModeOpensOnlyTheExplicitNamesAndTheDefaultOnlyIfTheEmptyNameIsOne() throws Exception {
        try (ServedStack served = served("exportname-strict=true", "exportname=a")) {
            served.connect("a").close();
            assertThatThrownBy(() -> served.connect("b")).hasMessageContaining("not found");
            assertThatThrownBy(served::connect).isInstanceOf(IOException.class);
        }
        try (ServedStack served = served("exportname-strict=true", "exportname=", "exportname=a", "default-export=a");
             NbdClient client = served.connect()) {
            assertThat(client.exportInfo().name()).isEqualTo("a");
        }
    }

    @Test
    void descriptionsCanBeDroppedFixedOrMadeByAScriptThatSeesTheName() throws Exception {
        Descriptions script = Descriptions.parse("exportdesc", "script:echo \"$name$name\"");
        assertThat(script.describe("ab", "plugin's")).isEqualTo("abab");
        assertThat(Descriptions.parse("exportdesc", "none").describe("a", "plugin's")).isNull();
        assertThat(Descriptions.parse("exportdesc", "keep").describe("a", "plugin's")).isEqualTo("plugin's");
        assertThat(Descriptions.parse("exportdesc", "script:head -c 5000 /dev/zero | tr '\\\\0' x").describe("a", null))
                .hasSize(4096);
        try (ServedStack served = served("exportdesc=script:echo \"<$name>\""); NbdClient client = served.connect("c")) {
            assertThat(client.exportInfo().description()).contains("<c>");
        }
    }

    @Test
    void badPolicyNamesAreRefused() {
        assertThatThrownBy(() -> Layers.configured(new ExportNameFilter(), "exportname-list=all"))
                .hasMessageContaining("keep, error, empty, defaultonly");
        assertThatThrownBy(() -> Layers.configured(new ExportNameFilter(), "exportdesc=fixed")).hasMessageContaining("fixed:STRING");
        assertThatThrownBy(() -> Layers.configured(new ExportNameFilter(), "exportname-strict=maybe")).hasMessageContaining("boolean");
    }
}
