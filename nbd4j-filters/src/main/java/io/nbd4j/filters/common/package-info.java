/**
 * What several built-in filters share, each piece named for its job: a handle that routes every kind
 * of write through one method ({@link io.nbd4j.filters.common.UniformWriteHandle}), for the filters that
 * rewrite FUA; the layer below read like a file ({@link io.nbd4j.filters.common.LayerReader},
 * {@link io.nbd4j.filters.common.LayerChannel}), for the filters that hand it to a decompressor or an
 * archive reader. No filter lives here and nothing here is registered as a service.
 */
package io.nbd4j.filters.common;
