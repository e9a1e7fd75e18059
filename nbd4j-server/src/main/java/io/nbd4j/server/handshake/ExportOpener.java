package io.nbd4j.server.handshake;

import io.nbd4j.server.ServerSettings;
import io.nbd4j.server.backend.ConnectionBackend;
import io.nbd4j.server.backend.LayerLocks;
import io.nbd4j.server.backend.LayerTracing;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.OpenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Opens an export for {@code NBD_OPT_GO}, {@code NBD_OPT_INFO} or {@code NBD_OPT_EXPORT_NAME}:
 * substitutes the default export for "", opens and prepares every layer, and reads the size,
 * flags and block sizes from the top layer. Any failure closes what was opened and becomes an
 * {@link ExportRefusedException} carrying the message for the client.
 *
 * <p>Runs on the connection's thread.
 */
final class ExportOpener {
    private static final Logger LOG = LoggerFactory.getLogger(ExportOpener.class);
    private static final long DEFAULT_PREFERRED_BLOCK = 4096;

    private final long connectionId;
    private final ClientConnection connection;
    private final ServerSettings settings;
    private final LayerLocks locks;
    private final ExportCatalog catalog;
    private final LayerTracing tracing;
    private final OpeningClock clock;

    ExportOpener(ClientConnection connection, ServerSettings settings, LayerLocks locks, ExportCatalog catalog, OpeningClock clock) {
        this.connectionId = connection.client().connectionId();
        this.connection = connection;
        this.settings = settings;
        this.locks = locks;
        this.catalog = catalog;
        this.tracing = LayerTracing.forVerbose(settings.verbose());
        this.clock = clock;
    }

    OpenedExport open(String requested, boolean probe, boolean structuredReplies, boolean tls) throws ExportRefusedException {
        clock.serverBusy();
        try {
            return openAndPrepare(requested, probe, structuredReplies, tls);
        } finally {
            clock.serverDone();
        }
    }

    private OpenedExport openAndPrepare(String requested, boolean probe, boolean structuredReplies, boolean tls) throws ExportRefusedException {
        String name = requested;
        if (name.isEmpty()) {
            try {
                name = catalog.defaultExport(settings.readOnly(), tls);
            } catch (IOException e) {
                throw new ExportRefusedException("finding the default export failed: " + e.getMessage());
            }
            if (name == null) {
                throw new ExportRefusedException("this server has no default export: name one");
            }
        }
        OpenRequest request = new OpenRequest(name, settings.readOnly(), tls, connectionId, locks.effective(), probe, connection);
        ConnectionBackend backend;
        try {
            backend = ConnectionBackend.open(locks, request, index -> catalog.defaultExportOfLayer(index, settings.readOnly(), tls),
                    tracing);
        } catch (IOException e) {
            throw new ExportRefusedException("opening export '" + name + "' failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("conn {}: opening export '{}' failed", connectionId, name, e);
            throw new ExportRefusedException("opening export '" + name + "' failed: " + e);
        }
        try {
            backend.prepare();
            Next top = backend.top();
            long size = top.size();
            int flags = TransmissionFlagsPolicy.flags(top, structuredReplies, locks.effective());
            BlockSize declared = top.blockSize();
            long minimum = declared == null ? 1 : declared.minimum();
            long preferred = declared == null ? DEFAULT_PREFERRED_BLOCK : declared.preferred();
            long maximum;
            if (declared != null && declared.maximum() == BlockSize.NO_MAXIMUM) {
                // A layer that takes requests of any size (the blocksize filter) says so, as nbdkit does;
                // reads and writes are still held to the payload limit.
                maximum = BlockSize.NO_MAXIMUM;
            } else {
                maximum = declared == null ? settings.maxPayload() : Math.min(declared.maximum(), settings.maxPayload());
                maximum -= maximum % minimum;
                maximum = Math.max(maximum, preferred);
            }
            return new OpenedExport(backend, name, size, flags, minimum, preferred, maximum, top.blockSizeEnforced());
        } catch (IOException e) {
            backend.close();
            throw new ExportRefusedException("preparing export '" + name + "' failed: " + e.getMessage());
        } catch (RuntimeException e) {
            backend.close();
            LOG.warn("conn {}: preparing export '{}' failed", connectionId, name, e);
            throw new ExportRefusedException("preparing export '" + name + "' failed: " + e);
        }
    }

    /** The export's description, or {@code null} when it has none or asking failed (which is only logged). */
    String description(OpenedExport export) {
        try {
            return export.backend().top().description();
        } catch (IOException | RuntimeException e) {
            LOG.info("conn {}: reading the description of '{}' failed: {}", connectionId, export.name(), e.toString());
            return null;
        }
    }

    /** Ends an export that was only probed: finish and close every layer. */
    void release(OpenedExport export) {
        try {
            export.backend().finish();
        } catch (IOException | RuntimeException e) {
            LOG.info("conn {}: finishing probe of '{}' failed: {}", connectionId, export.name(), e.toString());
        } finally {
            export.backend().close();
        }
    }
}
