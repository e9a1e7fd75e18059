/**
 * What several built-in plugins share, each piece named for its job: the capability answers of disks
 * that live in this process ({@link io.nbd4j.plugins.common.InProcessDiskHandle},
 * {@link io.nbd4j.plugins.common.WritableInProcessDiskHandle}), the {@code [size=]SIZE} parameter
 * of plugins configured by their size ({@link io.nbd4j.plugins.common.SizedPlugin}), disks assembled
 * from regions ({@link io.nbd4j.plugins.common.VirtualDisk}, served by
 * {@link io.nbd4j.plugins.common.VirtualDiskHandle}, with a
 * {@link io.nbd4j.plugins.common.MasterBootRecord} in front), external programs
 * ({@link io.nbd4j.plugins.common.ExternalCommand}), the mkfs-or-script creation of new disks
 * ({@link io.nbd4j.plugins.common.DiskCommand}) and the place for large temporary files
 * ({@link io.nbd4j.plugins.common.TemporaryFiles}). No plugin lives here and nothing here is
 * registered as a service.
 */
package io.nbd4j.plugins.common;
