/**
 * What several built-in filters share, each piece named for its job: a handle that routes every kind
 * of write through one method ({@link io.nbd4j.filters.common.UniformWriteHandle}), for the filters that
 * rewrite FUA. No filter lives here and nothing here is registered as a service.
 */
package io.nbd4j.filters.common;
