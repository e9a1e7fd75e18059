/**
 * PEM files as nbdkit, GnuTLS and OpenSSL write them (certificates, CRLs, unencrypted private keys),
 * read into JDK security objects for the server's and the client's TLS. A file format, not the wire:
 * it lives here because both sides need it and this module is what they share.
 */
package io.nbd4j.protocol.pem;
