package io.nbd4j.server.transmission;

/**
 * Why a request was refused before any layer saw it.
 *
 * @param wireError the error value for the client
 * @param message   the explanation, sent in structured error chunks and logged
 */
record Rejection(int wireError, String message) {}
