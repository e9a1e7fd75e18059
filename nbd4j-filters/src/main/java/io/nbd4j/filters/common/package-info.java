/**
 * What several built-in filters share, each piece named for its job: a handle that routes every kind
 * of write through one method ({@link io.nbd4j.filters.common.UniformWriteHandle}), for the filters that
 * rewrite FUA; a handle that routes every data call through one method
 * ({@link io.nbd4j.filters.common.InterceptingHandle}, with {@link io.nbd4j.filters.common.Operation}),
 * for the filters that wait, fail or record the same way whatever the call (delay, error, pause, log);
 * {@link io.nbd4j.filters.common.ShellCommand}, which runs a shell snippet as nbdkit's
 * {@code system(3)} does, for the scripts of the log and exitwhen filters; the layer below read
 * like a file ({@link io.nbd4j.filters.common.LayerReader}, {@link io.nbd4j.filters.common.LayerChannel}),
 * for the filters that hand it to a decompressor or an archive reader; a handle that serves a window
 * of the layer below ({@link io.nbd4j.filters.common.WindowHandle}, offset and partition); and a
 * pass-through handle that keeps reads zero-copy ({@link io.nbd4j.filters.common.SameDataHandle}), for
 * the filters that never change data. No filter lives here and nothing here is registered as a service.
 */
package io.nbd4j.filters.common;
