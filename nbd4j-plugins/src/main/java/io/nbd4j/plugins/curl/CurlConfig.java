package io.nbd4j.plugins.curl;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * The curl plugin's settled configuration. Immutable.
 *
 * @param url            the disk image, without credentials
 * @param headers        what every request carries besides authorization
 * @param user           Basic authentication user, or null for none
 * @param password       its password ("" when none was given)
 * @param trust          how the server's certificate is checked
 * @param timeout        the longest connecting or any wait for data may take, or null for no limit
 * @param connections    requests in flight to the server at most
 * @param followLocation follow redirects
 * @param proxy          an HTTP proxy, or null
 * @param protocols      the schemes the URL and redirects may use
 */
record CurlConfig(URI url, RequestHeaders headers, String user, String password, TrustSettings trust, Duration timeout,
                  int connections, boolean followLocation, URI proxy, String proxyUser, String proxyPassword,
                  Set<String> protocols) {
}
