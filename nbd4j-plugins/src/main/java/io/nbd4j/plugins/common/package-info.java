/**
 * What several built-in plugins share, each piece named for its job: the capability answers of disks
 * that live in this process ({@link io.nbd4j.plugins.common.InProcessDiskHandle},
 * {@link io.nbd4j.plugins.common.WritableInProcessDiskHandle}) and the {@code [size=]SIZE} parameter
 * of plugins configured by their size ({@link io.nbd4j.plugins.common.SizedPlugin}). No plugin lives
 * here and nothing here is registered as a service.
 */
package io.nbd4j.plugins.common;
