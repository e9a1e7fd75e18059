/**
 * The transmission phase. One reader per connection decodes requests, validates each one before any
 * layer sees it, and runs it on a virtual thread (at most {@code threads} at once; one means strictly
 * in order). Replies are written whole under one lock per connection, read data straight from a
 * pooled direct buffer. Structured reads send hole chunks for ranges the top layer reports as zero;
 * block status answers {@code base:allocation}, clipped to the request and merged.
 */
package io.nbd4j.server.transmission;
