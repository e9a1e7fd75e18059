package io.nbd4j.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** NBD URIs in the form the NBD project recommends, as {@code $uri} and {@code --print-uri} give them. */
final class NbdUri {
    private NbdUri() {}

    static String unix(Path socket, String exportName) {
        return "nbd+unix://" + exportPath(exportName) + "?socket=" + socket;
    }

    static String tcp(String host, int port, String exportName) {
        String h = host == null ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return "nbd://" + h + ":" + port + exportPath(exportName);
    }

    private static String exportPath(String exportName) {
        if (exportName.isEmpty()) {
            return "";
        }
        return "/" + URLEncoder.encode(exportName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
