/**
 * The luks filter ({@code --filter=luks}): serves the decrypted contents of a disk encrypted with
 * LUKS version 1 (the format of {@code cryptsetup --type luks1} and of {@code qemu-img create -f luks}),
 * reading and writing it, so that only ciphertext ever reaches the layer below (a file, a web server,
 * an object store).
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code passphrase=SECRET}, {@code passphrase=+FILE}, {@code passphrase=-FD}, {@code passphrase=-} (required)</dt>
 * <dd>The passphrase of any enabled key slot: given on the command line (visible to other users of the
 *     machine), read from a file or an inherited file descriptor (one trailing newline dropped), or
 *     asked on the terminal.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * The first connection reads the header through the layer below and tries the key slots (PBKDF2, as
 * slow as the disk's creator chose: about 2 s for qemu-img's default); the master key is then kept for
 * every later connection to the same disk. The export is the payload after the header, a whole number
 * of 512-byte sectors. Reads decrypt whole sectors; writes encrypt them, a write that covers a sector
 * only partly reading and rewriting that sector under a lock. Zero becomes writes of encrypted zeroes
 * (done by the server); trim and extents are not offered (everything is data). Write, flush, FUA and
 * multi-conn are the layer below's. A wrong passphrase, a LUKS2 disk or an unsupported cipher fails the
 * connection with EINVAL, naming the reason.
 *
 * <h2>Ciphers</h2>
 * {@code aes} with {@code xts-plain64} or {@code xts-plain} and a 512-bit key (AES-256-XTS, qemu-img's
 * and cryptsetup's usual choice; from Amazon Corretto Crypto Provider), or with {@code cbc-plain},
 * {@code cbc-plain64}, {@code cbc-essiv:sha256} (any SHA) or {@code ecb} and any AES key size (from
 * the JDK). Hashes: sha1, sha224, sha256, sha384, sha512, ripemd160 (Bouncy Castle).
 *
 * <h2>Limits</h2>
 * AES-128-XTS (a 256-bit XTS key) is refused: the only Java library found with IEEE 1619 XTS, Amazon
 * Corretto Crypto Provider, implements AES-256-XTS alone (Bouncy Castle's {@code KXTSBlockCipher} is
 * the single-key DSTU 7624 variant, not LUKS's). AES-XTS needs that provider's native code, which runs
 * on Linux x86-64. Other ciphers (twofish, serpent…) and LUKS2 are not supported. The filter cannot
 * create disks or change key slots: use cryptsetup or qemu-img.
 */
package io.nbd4j.filters.luks;
