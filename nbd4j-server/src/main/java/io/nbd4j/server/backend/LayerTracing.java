package io.nbd4j.server.backend;

/**
 * Which calls into the layers {@code -v} logs, one line per call naming the layer, as nbdkit's backend
 * debugging does: the control path (open, prepare, finish, close and the capability questions) and the
 * data path (reads, writes, flush, trim, zero, block status, cache). nbdkit's debug flags
 * {@code -D nbdkit.backend.controlpath=0} and {@code -D nbdkit.backend.datapath=0} turn either off.
 *
 * @param controlPath log the control path
 * @param dataPath    log the data path
 */
public record LayerTracing(boolean controlPath, boolean dataPath) {
    /** Nothing is logged. */
    public static final LayerTracing OFF = new LayerTracing(false, false);

    /**
     * What {@code -v} logs: both paths, less those switched off with the debug flags (published by the
     * command line as the system properties {@code nbd4j.debug.nbdkit.backend.controlpath} and
     * {@code ...datapath}); nothing when {@code verbose} is false or debug logging is off.
     */
    public static LayerTracing forVerbose(boolean verbose) {
        if (!verbose || !TracingHandle.LOG.isDebugEnabled()) {
            return OFF;
        }
        return new LayerTracing(flag("controlpath"), flag("datapath"));
    }

    private static boolean flag(String name) {
        return Integer.getInteger("nbd4j.debug.nbdkit.backend." + name, 1) != 0;
    }

    boolean any() {
        return controlPath || dataPath;
    }
}
