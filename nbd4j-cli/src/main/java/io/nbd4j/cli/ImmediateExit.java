package io.nbd4j.cli;

import io.nbd4j.spi.WarmUp;
import jdk.jfr.FlightRecorder;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Ends a captive run ({@code --run}) whose server has already stopped and cleaned up, through libc's
 * {@code _exit(2)} instead of the JVM's own exit.
 *
 * <p>Why: the JVM's exit waits, in steps of 10 ms, for any compiler thread in the middle of a
 * compilation, and a run that has just served its client usually has one: measured under strace, the
 * time from the command's exit to the JVM's was 12–29 ms with the JIT and 7–11 ms interpreted only, of
 * a start-to-exit total near 100 ms. Nothing is left for the JVM's exit to do: the server has finished
 * every connection, unloaded the layers (files closed, stats written) and removed its socket directory,
 * the standard streams are flushed here, and the only shutdown hook is the server's own stop, which has
 * run. A Flight Recorder recording, which is written at exit, keeps the normal exit, and so does an AOT
 * training run, which writes its cache then (the launcher says so with {@link #JVM_EXIT_PROPERTY}).
 *
 * <p>The native call is bound on {@link WarmUp}'s thread from the moment the server starts listening
 * (the FFM linker's first use costs about 15 ms of CPU, most of which a plugin's own binding on the
 * same thread then reuses), so the exit never waits for it; if it is not bound yet when the command
 * ends, the normal exit is taken.
 *
 * <p><b>Threads.</b> {@link #prepareInBackground} once, {@link #now} from any thread.
 */
final class ImmediateExit {
    /**
     * Set (to true) by the launcher for a JVM that must end through its own exit: an AOT training run
     * ({@code -XX:AOTCacheOutput}) writes the cache then.
     */
    static final String JVM_EXIT_PROPERTY = "nbd4j.jvmExit";
    private static volatile MethodHandle exit;

    private ImmediateExit() {}

    static void prepareInBackground() {
        WarmUp.inBackground(() -> {
            try {
                Linker linker = Linker.nativeLinker();
                exit = linker.downcallHandle(linker.defaultLookup().find("_exit").orElseThrow(),
                        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            } catch (RuntimeException | LinkageError e) {
                // No native access here: the normal exit is taken.
            }
        });
    }

    /** Exits with {@code status} now if it can; returns if the normal exit must be taken. */
    static void now(int status) {
        MethodHandle call = exit;
        if (call == null || Boolean.getBoolean(JVM_EXIT_PROPERTY) || FlightRecorder.isInitialized()) {
            return;
        }
        System.out.flush();
        System.err.flush();
        try {
            call.invokeExact(status);
        } catch (Throwable t) {
            // Unreachable in practice (_exit does not return); the normal exit follows.
        }
    }
}
