/**
 * What several built-in filters share, each piece named for its job: a handle that routes every kind
 * of write through one method ({@link io.nbd4j.filters.common.UniformWriteHandle}), for the filters that
 * rewrite FUA; a handle that routes every data call through one method
 * ({@link io.nbd4j.filters.common.InterceptingHandle}, with {@link io.nbd4j.filters.common.Operation}),
 * for the filters that wait, fail or record the same way whatever the call (delay, error, pause, log);
 * and {@link io.nbd4j.filters.common.ShellCommand}, which runs a shell snippet as nbdkit's
 * {@code system(3)} does, for the scripts of the log and exitwhen filters. No filter lives here and
 * nothing here is registered as a service.
 */
package io.nbd4j.filters.common;
