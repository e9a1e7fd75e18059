/**
 * The NBD wire format and nothing else: constants named as the specification names them, and codecs
 * between bytes and message records. Nothing here calls a plugin or touches a socket, so both the
 * server and the client build on it.
 */
package io.nbd4j.protocol;
