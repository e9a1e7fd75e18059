/**
 * The {@code ssh} plugin: serves a file on an SSH server over SFTP, through Apache MINA SSHD. It ships as
 * its own jar, {@code nbd4j-plugin-ssh.jar}, found by name.
 *
 * <pre>
 * nbd4j ssh host=HOST [path=]PATH [port=PORT] [user=USER] [password=PASSWORD|-|+FILE|-FD] [identity=FILE …]
 *           [known-hosts=FILE …] [verify-remote-host=BOOL] [create=true create-size=SIZE [create-mode=MODE]]
 *           [timeout=SECS] [compression=BOOL]
 * </pre>
 *
 * <h2>Parameters</h2>
 * nbdkit's names and meanings: {@code host=} and {@code path=} (the magic key; relative to the remote home
 * directory) are required; {@code user=} defaults to the local user, {@code port=} to 22. {@code password=}
 * takes the password itself, {@code -} (asked on the terminal), {@code +FILE} or {@code -FD} (first line).
 * {@code identity=} adds a private key before {@code ~/.ssh/id_ed25519}, {@code id_ecdsa} and {@code id_rsa}.
 * The server's host key must be in {@code known-hosts=} (default {@code ~/.ssh/known_hosts}, then
 * {@code /etc/ssh/ssh_known_hosts}) unless {@code verify-remote-host=false}. {@code create=true} with
 * {@code create-size=} creates (or replaces) the file, sparse, with {@code create-mode=} (octal, default
 * 0600). {@code timeout=} bounds connecting and authenticating; {@code compression=true} asks for zlib.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>One SSH session and SFTP channel per NBD connection, as nbdkit. Reads and writes are SFTP requests
 *       of at most 64 KiB at offsets; requests of a connection may overlap (thread model PARALLEL).</li>
 *   <li>Flush is {@code fsync@openssh.com} where the server offers it (OpenSSH does); FUA is emulated with
 *       it. No trim, zero, extents or multi-conn, as in nbdkit.</li>
 *   <li>At start the plugin connects once: an unreachable server, an unknown or changed host key, a refused
 *       login or a missing file stop it with one message (nbdkit finds out at the first client). With
 *       {@code create=true} the file is created then, not at the first connection as nbdkit does.</li>
 *   <li>Host, port, user and keys come from the parameters only: {@code ~/.ssh/config} is not read.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * No ssh-agent, no passphrase-protected keys, no keyboard-interactive login; nbdkit's {@code config=} and
 * the {@code %}-expansions in file names are not supported.
 */
package io.nbd4j.plugins.ssh;
