/**
 * TLS over a plain byte stream with the JDK's {@link javax.net.ssl.SSLEngine}, for both ends of
 * {@code NBD_OPT_STARTTLS}: the server's transport and the client's (the nbd plugin) share
 * {@link io.nbd4j.protocol.tls.TlsChannel}.
 */
package io.nbd4j.protocol.tls;
