package io.nbd4j.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** NBD URIs in the form the NBD project recommends, as {@code $uri} and {@code --print-uri} give them. */
final class NbdUri {
    private NbdUri() {}

    /** {@code secure}: the nbds schemes, which tell clients to insist on TLS. */
    static String unix(Path socket, String exportName, boolean secure) {
        return (secure ? "nbds+unix://" : "nbd+unix://") + exportPath(exportName) + "?socket=" + socket;
    }

    static String tcp(String host, int port, String exportName, boolean secure) {
        String h = host == null ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return (secure ? "nbds://" : "nbd://") + h + ":" + port + exportPath(exportName);
    }

    private static String exportPath(String exportName) {
        if (exportName.isEmpty()) {
            return "";
        }
        return "/" + URLEncoder.encode(exportName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
