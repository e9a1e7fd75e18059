package io.nbd4j.dist;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every plugin and filter has its page, {@code docs/man/nbd4j-NAME-plugin.1.adoc} or
 * {@code nbd4j-NAME-filter.1.adoc}, and the page's PARAMETERS list says exactly what {@code NAME --help}
 * says: one entry per declared parameter whose first term is {@code key=VALUE} as declared, followed by
 * one term per alias ({@code alias=VALUE}). The layers are those the server finds through
 * ServiceLoader: the built-ins and the plugins shipped as jars of their own (s3, ssh), which are on this
 * module's test class path.
 */
class ManPagesDescribeEveryLayerTest {
    static final Path SOURCES = Path.of(System.getProperty("man.sources", "../docs/man"));

    @TestFactory
    Stream<DynamicTest> everyPluginHasAPageListingItsParameters() {
        return pageTests(Plugin.class, "plugin");
    }

    @TestFactory
    Stream<DynamicTest> everyFilterHasAPageListingItsParameters() {
        return pageTests(Filter.class, "filter");
    }

    @Test
    void everyLayerPageNamesALayerThatExists() throws IOException {
        TreeSet<String> expected = new TreeSet<>();
        layers(Plugin.class).forEach(l -> expected.add(pageName(l, "plugin")));
        layers(Filter.class).forEach(l -> expected.add(pageName(l, "filter")));
        TreeSet<String> pages = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("nbd4j-.+-(plugin|filter)\\.1\\.adoc"))
                    .forEach(n -> pages.add(n.replace(".1.adoc", "")));
        }
        assertThat(pages).as("pages in %s without a plugin or filter of that name", SOURCES)
                .isSubsetOf(expected);
    }

    private static Stream<DynamicTest> pageTests(Class<? extends Layer> type, String kind) {
        List<? extends Layer> layers = layers(type);
        assertThat(layers).as("%ss found through ServiceLoader", kind).isNotEmpty();
        return layers.stream().map(layer -> DynamicTest.dynamicTest(layer.name(), () -> {
            Path page = SOURCES.resolve(pageName(layer, kind) + ".1.adoc");
            assertThat(page).as("the man page of the %s %s (copy docs/man/TEMPLATE.adoc)", layer.name(), kind)
                    .isRegularFile();
            Map<String, List<String>> onPage = ManPageSource.read(page).entries("PARAMETERS");
            assertThat(onPage).as("PARAMETERS of %s, one entry per parameter: key=VALUE:: then alias=VALUE::"
                    + " (what '%s --help' prints)", page, layer.name())
                    .containsExactlyInAnyOrderEntriesOf(declared(layer));
        }));
    }

    /** What {@code --help} prints for a layer, as page entries: first term key=VALUE, then each alias. */
    static Map<String, List<String>> declared(Layer layer) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        for (Parameter p : layer.parameters()) {
            List<String> terms = new ArrayList<>();
            terms.add(p.key() + "=" + p.value());
            p.aliases().forEach(a -> terms.add(a + "=" + p.value()));
            entries.put(terms.getFirst(), terms);
        }
        return entries;
    }

    private static String pageName(Layer layer, String kind) {
        return "nbd4j-" + layer.name() + "-" + kind;
    }

    private static <T extends Layer> List<T> layers(Class<T> type) {
        List<T> found = new ArrayList<>();
        ServiceLoader.load(type).forEach(found::add);
        return found;
    }
}
