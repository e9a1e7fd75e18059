/**
 * Fixed newstyle negotiation: greeting, client flags, and the options EXPORT_NAME, ABORT, LIST,
 * INFO, GO, STRUCTURED_REPLY, EXTENDED_HEADERS, LIST/SET_META_CONTEXT ({@code base:allocation}) and
 * STARTTLS (refused by policy while TLS is off). Unknown options get {@code ERR_UNSUP}; options over
 * 64 KiB get {@code ERR_TOO_BIG} (over 1 MiB, or more than 10000 options, end the connection).
 * An export that fails to open answers {@code ERR_UNKNOWN} and negotiation goes on. No layer lock is
 * held while the server waits for the client.
 */
package io.nbd4j.server.handshake;
