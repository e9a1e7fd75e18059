package io.nbd4j.spi;

/**
 * What the server knows when it opens a layer for a connection.
 *
 * @param exportName   the export the client asked for, after the default export was substituted for "";
 *                     a layer that a filter opens with "" gets its own default export instead, as in nbdkit
 * @param readOnly     whether the connection must not write (the server's {@code -r}, or a filter above)
 * @param tls          whether the connection is encrypted
 * @param connectionId the server's number for the client connection, for logs and grouping
 * @param threadModel  the effective thread model of the whole server
 * @param probe        true when the open only answers {@code NBD_OPT_INFO} and no data will follow
 * @param connection   the client connection: who the client is, and the disconnect, sleep and
 *                     server controls
 */
public record OpenRequest(String exportName, boolean readOnly, boolean tls, long connectionId,
                          ThreadModel threadModel, boolean probe, ClientConnection connection) {

    /**
     * A request outside any server (tests, tools): its connection is a {@link DetachedConnection} of a
     * client with no address.
     */
    public OpenRequest(String exportName, boolean readOnly, boolean tls, long connectionId,
                       ThreadModel threadModel, boolean probe) {
        this(exportName, readOnly, tls, connectionId, threadModel, probe,
                new DetachedConnection(ClientInfo.withoutAddress(connectionId)));
    }

    /** Who the client is: {@code connection().client()}. */
    public ClientInfo client() {
        return connection.client();
    }

    /** The same request with another export name (a filter may rename the export below itself). */
    public OpenRequest withExportName(String name) {
        return new OpenRequest(name, readOnly, tls, connectionId, threadModel, probe, connection);
    }

    /** The same request, read-only below this layer. */
    public OpenRequest readOnlyBelow() {
        return new OpenRequest(exportName, true, tls, connectionId, threadModel, probe, connection);
    }
}
