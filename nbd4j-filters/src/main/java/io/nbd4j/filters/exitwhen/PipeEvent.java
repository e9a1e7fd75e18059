package io.nbd4j.filters.exitwhen;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code exit-when-pipe-closed=FD}: the read end of a pipe (or a socket) the server inherited as
 * descriptor {@code FD}; the event is its other end closing. Nothing is read from it: {@code poll(2)}
 * (through the FFM API; the JDK cannot wrap an inherited descriptor) says whether it hung up. A
 * descriptor that is not open counts as the event (the filter checks at start, so a wrong number
 * stops the server at once, as in nbdkit).
 *
 * @param fd the descriptor number
 */
record PipeEvent(int fd) implements Event {
    private static final Logger LOG = LoggerFactory.getLogger(PipeEvent.class);
    private static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    /** {@code struct pollfd}: int fd, short events, short revents. */
    private static final long POLLFD_BYTES = 8;
    private static final MethodHandle POLL;

    static {
        Linker linker = Linker.nativeLinker();
        POLL = linker.downcallHandle(linker.defaultLookup().find("poll").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    @Override
    public boolean happened() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(POLLFD_BYTES, 4);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, (short) 0);
            int ready = (int) POLL.invokeExact(pollfd, 1L, 0);
            short revents = pollfd.get(JAVA_SHORT, 6);
            if (ready == 1 && (revents & POLLNVAL) != 0) {
                LOG.error("exit-when-pipe-closed: descriptor {} is not open", fd);
                return true;
            }
            return ready == 1 && (revents & POLLHUP) != 0;
        } catch (Throwable t) {
            LOG.error("exit-when-pipe-closed: poll failed: {}", t.toString());
            return false;
        }
    }

    @Override
    public String describe() {
        return "exit-when-pipe-closed=" + fd;
    }
}
