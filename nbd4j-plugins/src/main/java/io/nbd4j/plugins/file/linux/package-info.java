/**
 * Linux system calls for the file-backed plugins, bound with the FFM API ({@code java.lang.foreign}):
 * {@code open}/{@code openat} with {@code O_NOFOLLOW}, {@code lseek} for {@code SEEK_DATA}/{@code SEEK_HOLE},
 * {@code fallocate}, {@code posix_fadvise}, {@code statx}, {@code fcntl} and the block-device ioctls
 * {@code BLKGETSIZE64}, {@code BLKDISCARD}, {@code BLKZEROOUT}. {@code errno} is captured by the linker
 * and turned into {@link io.nbd4j.plugins.file.linux.ErrnoException}, which carries the matching NBD error
 * (ENOSPC stays ENOSPC; EROFS, EPERM and EACCES become EPERM).
 */
package io.nbd4j.plugins.file.linux;
