package io.nbd4j.plugins.nbd;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The POSIX calls systemd-style socket activation needs and the JDK lacks, bound with the FFM API: a
 * listening Unix socket as a plain descriptor, and {@code posix_spawn} with that descriptor moved to
 * number 3 in the child (the JDK's {@link ProcessBuilder} closes every descriptor above 2), then
 * {@code kill} and {@code waitpid} for the child. Linux (glibc ≥ 2.34, x86_64 or aarch64) only.
 *
 * <p>Threads: stateless; any thread. {@link #waitpid} blocks its thread until the child exits, so it
 * belongs on a platform thread of its own.
 */
final class Posix {
    static final int SIGTERM = 15;
    static final int SIGKILL = 9;

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030;
    /** Above the standard descriptors and the activated one, so the dup to 3 never overlaps it. */
    private static final int FIRST_SAFE_FD = 10;
    private static final int SUN_PATH_BYTES = 108;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: room to spare. */
    private static final long OPAQUE_BYTES = 1024;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET;
    private static final MethodHandle BIND;
    private static final MethodHandle LISTEN;
    private static final MethodHandle FCNTL;
    private static final MethodHandle CLOSE;
    private static final MethodHandle KILL;
    private static final MethodHandle WAITPID;
    private static final MethodHandle ACTIONS_INIT;
    private static final MethodHandle ACTIONS_DUP2;
    private static final MethodHandle ACTIONS_CLOSEFROM;
    private static final MethodHandle ACTIONS_DESTROY;
    private static final MethodHandle ATTR_INIT;
    private static final MethodHandle ATTR_SETFLAGS;
    private static final MethodHandle ATTR_SETSIGMASK;
    private static final MethodHandle ATTR_SETSIGDEFAULT;
    private static final MethodHandle ATTR_DESTROY;
    private static final MethodHandle SIGEMPTYSET;
    private static final MethodHandle SIGFILLSET;
    private static final MethodHandle SPAWN;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        SOCKET = bind(linker, libc, "socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
        BIND = bind(linker, libc, "bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        LISTEN = bind(linker, libc, "listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
        FCNTL = bind(linker, libc, "fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                errno, Linker.Option.firstVariadicArg(2));
        CLOSE = bind(linker, libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        KILL = bind(linker, libc, "kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        WAITPID = bind(linker, libc, "waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        FunctionDescriptor onePointer = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        ACTIONS_INIT = bind(linker, libc, "posix_spawn_file_actions_init", onePointer);
        ACTIONS_DUP2 = bind(linker, libc, "posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        ACTIONS_CLOSEFROM = bind(linker, libc, "posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        ACTIONS_DESTROY = bind(linker, libc, "posix_spawn_file_actions_destroy", onePointer);
        ATTR_INIT = bind(linker, libc, "posix_spawnattr_init", onePointer);
        ATTR_SETFLAGS = bind(linker, libc, "posix_spawnattr_setflags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        ATTR_SETSIGMASK = bind(linker, libc, "posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        ATTR_SETSIGDEFAULT = bind(linker, libc, "posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        ATTR_DESTROY = bind(linker, libc, "posix_spawnattr_destroy", onePointer);
        SIGEMPTYSET = bind(linker, libc, "sigemptyset", onePointer);
        SIGFILLSET = bind(linker, libc, "sigfillset", onePointer);
        SPAWN = bind(linker, libc, "posix_spawn",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    }

    private Posix() {}

    private static MethodHandle bind(Linker linker, SymbolLookup libc, String name, FunctionDescriptor descriptor,
                                     Linker.Option... options) {
        MemorySegment symbol = libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return linker.downcallHandle(symbol, descriptor, options);
    }

    /**
     * A Unix stream socket bound to {@code path} and listening, as a descriptor of 10 or more with
     * close-on-exec set (so only the child it is handed to inherits it).
     */
    static int listeningUnixSocket(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_BYTES) {
            throw new IOException("socket path too long (" + name.length + " bytes, at most " + (SUN_PATH_BYTES - 1) + "): " + path);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int created = check("socket", (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), state);
            int fd;
            try {
                fd = check("fcntl", (int) FCNTL.invokeExact(state, created, F_DUPFD_CLOEXEC, FIRST_SAFE_FD), state);
            } finally {
                close(created);
            }
            try {
                MemorySegment address = arena.allocate(2 + SUN_PATH_BYTES);
                address.set(JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(name, 0, address, JAVA_BYTE, 2, name.length);
                check("bind " + path, (int) BIND.invokeExact(state, fd, address, 2 + name.length + 1), state);
                check("listen", (int) LISTEN.invokeExact(state, fd, 128), state);
                return fd;
            } catch (IOException | RuntimeException | Error e) {
                close(fd);
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot create a listening socket at " + path + ": " + t, t);
        }
    }

    /**
     * Starts {@code argv} (the first element is a path, not searched for) with {@code environment}
     * ({@code NAME=value} strings), descriptor {@code fd} as its descriptor 3, every other descriptor
     * above 2 closed, no signal blocked and every signal at its default action. Returns its process id.
     */
    static int spawnWithDescriptor3(List<String> argv, List<String> environment, int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE_BYTES);
            MemorySegment attributes = arena.allocate(OPAQUE_BYTES);
            MemorySegment signals = arena.allocate(OPAQUE_BYTES);
            spawnCheck("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            spawnCheck("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attributes));
            try {
                spawnCheck("adddup2", (int) ACTIONS_DUP2.invokeExact(actions, fd, 3));
                spawnCheck("addclosefrom_np", (int) ACTIONS_CLOSEFROM.invokeExact(actions, 4));
                spawnCheck("sigemptyset", (int) SIGEMPTYSET.invokeExact(signals));
                spawnCheck("setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attributes, signals));
                spawnCheck("sigfillset", (int) SIGFILLSET.invokeExact(signals));
                spawnCheck("setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attributes, signals));
                spawnCheck("setflags", (int) ATTR_SETFLAGS.invokeExact(attributes,
                        (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
                MemorySegment pid = arena.allocate(JAVA_INT);
                int error = (int) SPAWN.invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attributes,
                        strings(arena, argv), strings(arena, environment));
                if (error != 0) {
                    throw new IOException("cannot run " + argv.getFirst() + ": posix_spawn failed with errno " + error);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
                ignored = (int) ATTR_DESTROY.invokeExact(attributes);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot run " + argv + ": " + t, t);
        }
    }

    /** Sends {@code signal} to process {@code pid}; a process already gone is no error. */
    static void kill(int pid, int signal) {
        try {
            int ignored = (int) KILL.invokeExact(pid, signal);
        } catch (Throwable t) {
            throw new IllegalStateException("kill failed: " + t, t);
        }
    }

    /** Waits for child {@code pid} to exit and returns its raw wait status (retrying after EINTR). */
    static int waitpid(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int result = (int) WAITPID.invokeExact(state, pid, status, 0);
                if (result == pid) {
                    return status.get(JAVA_INT, 0);
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno != 4) {   // EINTR: a signal arrived; wait again
                    throw new IOException("waitpid(" + pid + ") failed with errno " + errno);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("waitpid failed: " + t, t);
        }
    }

    /** How a raw wait status reads in a log: "exit status N" or "signal N". */
    static String describeWaitStatus(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? "exit status " + ((status >> 8) & 0xff) : "signal " + signal;
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed: " + t, t);
        }
    }

    private static int check(String call, int result, MemorySegment state) throws IOException {
        if (result < 0) {
            throw new IOException(call + " failed with errno " + (int) ERRNO.get(state, 0L));
        }
        return result;
    }

    private static void spawnCheck(String call, int error) throws IOException {
        if (error != 0) {
            throw new IOException(call + " failed with errno " + error);
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
