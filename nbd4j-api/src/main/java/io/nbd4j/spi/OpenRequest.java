package io.nbd4j.spi;

/**
 * What the server knows when it opens a layer for a connection.
 *
 * @param exportName   the export the client asked for, after the default export was substituted for ""
 * @param readOnly     whether the connection must not write (the server's {@code -r}, or a filter above)
 * @param tls          whether the connection is encrypted
 * @param connectionId the server's number for the client connection, for logs and grouping
 * @param threadModel  the effective thread model of the whole server
 * @param probe        true when the open only answers {@code NBD_OPT_INFO} and no data will follow
 */
public record OpenRequest(String exportName, boolean readOnly, boolean tls, long connectionId,
                          ThreadModel threadModel, boolean probe) {

    /** The same request with another export name (a filter may rename the export below itself). */
    public OpenRequest withExportName(String name) {
        return new OpenRequest(name, readOnly, tls, connectionId, threadModel, probe);
    }

    /** The same request, read-only below this layer. */
    public OpenRequest readOnlyBelow() {
        return new OpenRequest(exportName, true, tls, connectionId, threadModel, probe);
    }
}
