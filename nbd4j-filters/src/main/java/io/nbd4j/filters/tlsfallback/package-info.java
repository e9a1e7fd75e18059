/**
 * The tls-fallback filter ({@code --filter=tls-fallback}): with {@code --tls=on}, a client that did
 * not start TLS is served a 512-byte read-only disk holding a message instead of the plugin, while
 * TLS clients get the plugin. A gentler answer for plaintext clients than {@code --tls=require}.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code tlsreadme=MESSAGE}</dt>
 * <dd>What plaintext clients read: its first 512 bytes, padded with NUL bytes (default: a sentence
 *     saying the server requires TLS).</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * For a plaintext client the layers below are never opened, listed or asked for the default export:
 * the export list is the one default export, whatever name the client asks for it gets the message,
 * and every capability that could tell about the real export (write, flush, trim, zero, extents,
 * cache, multi-conn, block sizes, description) is off. Put the filter first, so that no filter above
 * it does work for plaintext clients. The filter refuses to start with the serialize_connections
 * thread model, under which one plaintext client could shut the others out. For TLS clients every
 * call passes through, and multi-conn is the layer below's.
 */
package io.nbd4j.filters.tlsfallback;
