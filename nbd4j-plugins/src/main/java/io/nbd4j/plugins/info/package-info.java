/**
 * The {@code info} plugin: a small read-only test disk whose bytes tell the client something about
 * the connection, for testing clients, proxies and export-name handling.
 *
 * <p>Parameters: {@code [mode=]MODE}, the magic key, one of
 * <ul>
 * <li>{@code exportname} (default): the export name the client asked for, as UTF-8 bytes; its length
 *     is the disk's size (an empty name gives an empty disk).</li>
 * <li>{@code base64exportname}: the export name decoded from base64, so any bytes can be sent; a name
 *     that is not valid base64 is refused with EINVAL.</li>
 * <li>{@code address}: the client's address as text, {@code 127.0.0.1:40000} or {@code [::1]:40000};
 *     {@code unix} for a Unix-domain client, so that no path on the host is shown. A client on no
 *     socket (the server's {@code -s}) is refused.</li>
 * <li>{@code time}, {@code uptime}, {@code conntime}: 12 bytes, seconds (64-bit) and microseconds
 *     (32-bit), big-endian, of the server's wall clock, of the time since the server started
 *     listening, or of the time since the server accepted this client. The clock is read afresh for
 *     each read, so read all 12 bytes in one request.</li>
 * </ul>
 *
 * <p>Behaviour: read-only; every connection to the same export name sees the same bytes in the two
 * export-name modes, which are therefore multi-conn; the others are not. Cache is a no-op. Thread
 * model PARALLEL. {@code --dump-plugin} shows {@code info_address=yes} and {@code info_base64=yes},
 * as scripts probe for them.
 *
 * <p>Limits: the clock modes use the wall clock, so a clock set back shows a jump (as in nbdkit); a
 * time before the start shows as negative seconds.
 */
package io.nbd4j.plugins.info;
