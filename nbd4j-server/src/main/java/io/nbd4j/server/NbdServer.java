package io.nbd4j.server;

import io.nbd4j.server.backend.LayerLocks;
import io.nbd4j.server.metrics.ServerMetrics;
import io.nbd4j.server.transmission.BufferPool;
import io.nbd4j.server.transmission.ObservedRequests;
import io.nbd4j.server.transport.ChannelTransport;
import io.nbd4j.server.transport.Transport;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.EndSignal;
import io.nbd4j.spi.FlightEvents;
import io.nbd4j.spi.Metrics;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.Uninterruptibly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An NBD server serving one {@link LayerStack} on any number of TCP and Unix socket listeners, or on
 * a pair of channels given to {@link #serveOne}. Each accepted client gets a thread that runs its
 * handshake and reads its requests, a platform one for the first {@link ConnectionThreads#PLATFORM_READERS}
 * connections open at once and a virtual one past them ({@link ConnectionThreads}); requests that the
 * reader does not run itself run on virtual threads.
 *
 * <pre>{@code
 * NbdServer server = NbdServer.builder().layers(stack).unixSocket(path).start();
 * ...
 * server.close();
 * }</pre>
 *
 * <p>The server never configures, readies or unloads the layers: the caller does, before
 * {@link Builder#start()} and after {@link #close()}. The server calls each layer's
 * {@link io.nbd4j.spi.Layer#afterStart afterStart} when it starts, handing it the {@link ServerControl}
 * through which a layer may ask the server to stop; the caller learns of that from
 * {@link #awaitTermination()}, and then unloads the layers.
 *
 * <p><b>Threads.</b> Thread-safe. One acceptor (platform) thread per listener; one thread per connection.
 */
public final class NbdServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NbdServer.class);
    /**
     * Pending connections a listener queues before the accept loop takes them, as nbdkit's SOMAXCONN (the
     * kernel caps it at net.core.somaxconn). The JDK's default for a Unix socket is 50, so 64 fio jobs
     * connecting at once were refused ("server backlog overflowed" from libnbd's non-blocking connect).
     */
    private static final int LISTEN_BACKLOG = 4096;
    /** How long {@link #close} waits for running requests before closing their sockets. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    /** Send buffer asked for on each accepted socket; see {@link #enlargeSendBuffer}. */
    private static final int SEND_BUFFER_BYTES = 2 << 20;

    private final ServerSettings settings;
    private final LayerStack stack;
    private final LayerLocks locks;
    private final BufferPool pool;
    private final ConnectionWatchdog watchdog;
    private final AtomicInteger openSockets = new AtomicInteger();
    private final ConnectionThreads readerThreads = new ConnectionThreads(ConnectionThreads.PLATFORM_READERS);
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Path> createdSockets = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> connectionThreads = ConcurrentHashMap.newKeySet();
    private final Set<Thread> waitingForAdmission = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set by a layer's {@link ServerControl#shutdown}, at once; {@link #closing} only once the close starts. */
    private final AtomicBoolean shutdownAsked = new AtomicBoolean();
    /** Raised when closing starts: wakes layers in {@link ServerControl#sleepUnlessShutdown}. */
    private final EndSignal stopping = new EndSignal();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Instant startedAt = Instant.now();
    private final ServerControl control = new Control();
    private int tcpPort = -1;

    private NbdServer(ServerSettings settings, LayerStack stack) {
        this.settings = settings;
        this.stack = stack;
        this.locks = new LayerLocks(stack);
        this.pool = new BufferPool(settings.maxPayload());
        this.watchdog = new ConnectionWatchdog(settings.handshakeTimeout(), settings.idleTimeout());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the first TCP listener is bound to, or -1 when there is none. */
    public int tcpPort() {
        return tcpPort;
    }

    /** The Unix sockets the server listens on. */
    public List<Path> unixSockets() {
        return List.copyOf(createdSockets);
    }

    /**
     * Serves one client on the given channels (for example stdin and stdout) on the calling thread,
     * and returns when it disconnects. May be used on a server started without listeners.
     */
    public void serveOne(ReadableByteChannel in, WritableByteChannel out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        serveAdmitted(new ChannelTransport(in, out, pool), ClientInfo.withoutAddress(nextConnectionId.getAndIncrement()));
    }

    /**
     * Serves one client on this process's standard input and output (nbdkit's {@code -s}) on the calling
     * thread, and returns when it disconnects. When standard input is a Unix-domain socket (libnbd's
     * {@code nbd_connect_command} hands the server one end of a socket pair) the layers see a Unix
     * client with its process's credentials, as they would on a listening socket.
     */
    public void serveStandardStreams() throws IOException {
        try (FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
             FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel()) {
            serveAdmitted(new ChannelTransport(in, out), AcceptedClients.describeStandardInput(nextConnectionId.getAndIncrement()));
        }
    }

    /** Waits for admission when connections are serialized, then runs the connection on this thread. */
    private void serveAdmitted(Transport transport, ClientInfo client) {
        Semaphore admission = locks.admission();
        if (admission != null) {
            waitingForAdmission.add(Thread.currentThread());
            try {
                admission.acquire();
            } catch (InterruptedException e) {
                transport.close();
                return;
            } finally {
                waitingForAdmission.remove(Thread.currentThread());
            }
        }
        try {
            runConnection(transport, client);
        } finally {
            if (admission != null) {
                admission.release();
            }
        }
    }

    private void runConnection(Transport transport, ClientInfo client) {
        ConnectionControl control = new ConnectionControl(client, this.control, transport);
        Connection connection = new Connection(control, transport, settings, stack, locks, pool, watchdog);
        connections.add(connection);
        connectionThreads.add(Thread.currentThread());
        settings.metrics().connectionOpened();
        try {
            if (closing.get()) {
                connection.shutdown();
            }
            connection.run();
        } finally {
            settings.metrics().connectionClosed();
            connections.remove(connection);
            connectionThreads.remove(Thread.currentThread());
        }
    }

    private void bindUnix(Path path) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path), LISTEN_BACKLOG);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on Unix socket " + path + ": " + e.getMessage(), e);
        }
        createdSockets.add(path);
        listeners.add(channel);
        LOG.debug("listening on Unix socket {}", path);
    }

    /** Serves on a socket the caller bound already (e.g. one inherited through socket activation). */
    private void adopt(ServerSocketChannel listener) {
        listeners.add(listener);
    }

    private void bindTcp(String host, int port) throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (host == null) {
            addresses.add(new InetSocketAddress(port));   // the IPv6 wildcard accepts IPv4 clients too
        } else {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                addresses.add(new InetSocketAddress(a, port));
            }
        }
        int boundPort = port;
        for (InetSocketAddress address : addresses) {
            InetSocketAddress target = boundPort == 0 ? address : new InetSocketAddress(address.getAddress(), boundPort);
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.bind(target, LISTEN_BACKLOG);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot listen on " + target + ": " + e.getMessage(), e);
            }
            boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            if (tcpPort < 0) {
                tcpPort = boundPort;
            }
            listeners.add(channel);
            LOG.debug("listening on {}", channel.getLocalAddress());
        }
    }

    // A platform thread per listener blocks in accept() itself. A virtual acceptor would park in the
    // JDK's poller and start it, which costs every start several milliseconds of CPU (the poller's
    // threads come from a factory whose counter spins method-handle classes no AOT cache holds), while
    // the first 64 connections' readers are platform threads and need no poller.
    private void startAcceptors() {
        for (ServerSocketChannel listener : listeners) {
            acceptors.add(Thread.ofPlatform().daemon().name("nbd4j-accept").start(() -> accept(listener)));
        }
    }

    private void accept(ServerSocketChannel listener) {
        while (!closing.get()) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closing.get()) {
                    LOG.warn("accept failed: {}", e.getMessage());
                }
                continue;
            }
            if (openSockets.incrementAndGet() > settings.maxConnections()) {
                openSockets.decrementAndGet();
                LOG.warn("refused a connection: {} connections are open, the most allowed (max connections)",
                        settings.maxConnections());
                closeQuietly(client);
                continue;
            }
            enlargeSendBuffer(client);
            ClientInfo info = AcceptedClients.describe(nextConnectionId.getAndIncrement(), client);
            readerThreads.start(() -> {
                try {
                    serveAdmitted(new ChannelTransport(client, pool), info);
                } finally {
                    openSockets.decrementAndGet();
                }
            });
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // refused anyway
        }
    }

    /**
     * Asks for a Unix socket send buffer that holds a few large read replies, so that one gathering
     * write sends a whole reply instead of stopping part-way and waiting for the client to drain the
     * socket. The kernel caps the size (net.core.wmem_max); a refusal only costs speed. TCP sockets
     * are left alone: setting the size there would switch off the kernel's own tuning of it.
     */
    private static void enlargeSendBuffer(SocketChannel client) {
        try {
            if (client.getLocalAddress() instanceof UnixDomainSocketAddress
                    && client.getOption(StandardSocketOptions.SO_SNDBUF) < SEND_BUFFER_BYTES) {
                client.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot enlarge the send buffer: {}", e.toString());
        }
    }

    /**
     * Stops accepting, lets running requests finish and reply, closes every connection, and removes
     * the Unix socket files this server created. Idempotent; does not unload the layers.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        stopping.end();
        try {
            for (ServerSocketChannel listener : listeners) {
                try {
                    listener.close();
                } catch (IOException e) {
                    LOG.debug("closing a listener failed: {}", e.toString());
                }
            }
            for (Thread acceptor : acceptors) {
                acceptor.interrupt();
                Uninterruptibly.join(acceptor);
            }
            for (Thread waiting : waitingForAdmission) {
                waiting.interrupt();
            }
            for (Connection c : connections) {
                c.shutdown();
            }
            // A client that stopped reading holds its replies' writers forever: after a grace period
            // its socket is closed under them.
            long graceEnd = System.nanoTime() + CLOSE_GRACE.toNanos();
            for (Thread t : List.copyOf(connectionThreads)) {
                if (t != Thread.currentThread()) {
                    joinUntil(t, graceEnd);
                }
            }
            for (Connection c : connections) {
                c.forceClose();
            }
            for (Thread t : List.copyOf(connectionThreads)) {
                if (t != Thread.currentThread()) {
                    Uninterruptibly.join(t);
                }
            }
            watchdog.close();
            for (Path socket : createdSockets) {
                try {
                    Files.deleteIfExists(socket);
                } catch (IOException e) {
                    LOG.warn("cannot remove socket {}: {}", socket, e.getMessage());
                }
            }
        } finally {
            terminated.countDown();
        }
    }

    private static void joinUntil(Thread t, long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server as layers see it: its start time, and a shutdown that does not wait for itself. */
    public ServerControl control() {
        return control;
    }

    /** Blocks until {@link #close()} has completed, whoever called it (a layer through {@link #control()}). */
    public void awaitTermination() {
        Uninterruptibly.await(terminated::await);
    }

    /**
     * A shutdown asked for by a layer runs {@link #close()} on a thread of its own: the asking thread
     * may be one of the request threads that close waits for.
     */
    private final class Control implements ServerControl {
        @Override
        public Instant startedAt() {
            return startedAt;
        }

        @Override
        public boolean isShuttingDown() {
            return shutdownAsked.get() || closing.get();
        }

        @Override
        public void sleepUnlessShutdown(Duration duration) throws NbdException {
            stopping.sleep(duration, "the server");
        }

        @Override
        public Metrics metrics() {
            return settings.metrics().registry();
        }

        /**
         * Marks the server as shutting down before it returns (the asking layer, and a client that got
         * the asking request's reply, must see it so at once), while the close itself runs later.
         */
        @Override
        public void shutdown() {
            if (shutdownAsked.compareAndSet(false, true) && !closing.get()) {
                LOG.info("shutting down, as a layer asked");
                Thread.ofVirtual().name("nbd4j-shutdown").start(NbdServer.this::close);
            }
        }
    }

    /** Collects the server's settings and listeners; {@link #start()} binds and starts serving. */
    public static final class Builder {
        private LayerStack stack;
        private final List<Path> unixSockets = new ArrayList<>();
        private final List<String> tcpHosts = new ArrayList<>();
        private final List<Integer> tcpPorts = new ArrayList<>();
        private final List<ServerSocketChannel> boundListeners = new ArrayList<>();
        private boolean readOnly;
        private int threads = ServerSettings.DEFAULT_THREADS;
        private boolean structuredReplies = true;
        private boolean metaContexts = true;
        private boolean verbose;
        private int maskHandshake = 0xffff;
        private int maxPayload = ServerSettings.DEFAULT_MAX_PAYLOAD;
        private int maxOptions = ServerSettings.DEFAULT_MAX_OPTIONS;
        private int maxConnections = ServerSettings.DEFAULT_MAX_CONNECTIONS;
        private Duration handshakeTimeout = ServerSettings.DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration idleTimeout = ServerSettings.DEFAULT_IDLE_TIMEOUT;
        private TlsSettings tls = TlsSettings.off();
        private Metrics metrics = Metrics.NONE;

        private Builder() {}

        /** The layers to serve, already configured and ready (required). */
        public Builder layers(LayerStack stack) {
            this.stack = Objects.requireNonNull(stack, "stack");
            return this;
        }

        /** Listens on a Unix socket at {@code path}, created by the server and removed by {@link #close()}. */
        public Builder unixSocket(Path path) {
            unixSockets.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        /** Listens on TCP; {@code host} null means every address (IPv4 and IPv6), {@code port} 0 an ephemeral port. */
        public Builder tcp(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535: " + port);
            }
            tcpHosts.add(host);
            tcpPorts.add(port);
            return this;
        }

        /**
         * Also accepts clients on {@code listener}, a socket already bound and listening, such as one a
         * service manager handed over ({@link SocketActivation}). The server
         * owns it from {@link #start()} on and closes it in {@link #close()}; a Unix socket's file is
         * left alone (whoever created it removes it).
         */
        public Builder listener(ServerSocketChannel listener) {
            boundListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** Most requests of one connection that run at once; 1 runs them strictly in order. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        public Builder structuredReplies(boolean structuredReplies) {
            this.structuredReplies = structuredReplies;
            return this;
        }

        public Builder metaContexts(boolean metaContexts) {
            this.metaContexts = metaContexts;
            return this;
        }

        /** Logs one debug line per request (logger {@code io.nbd4j.server.transmission}). */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /** ANDed with the global handshake flags the server offers (FIXED_NEWSTYLE=1, NO_ZEROES=2). */
        public Builder maskHandshake(int mask) {
            this.maskHandshake = mask;
            return this;
        }

        /** The largest read or write payload accepted, in bytes (default 64 MiB, nbdkit's limit). */
        public Builder maxPayload(int bytes) {
            if (bytes < 512) {
                throw new IllegalArgumentException("maxPayload must be at least 512 bytes: " + bytes);
            }
            this.maxPayload = bytes;
            return this;
        }

        /**
         * Where the server counts requests and connections, and where layers publish their own metrics
         * ({@code ServerControl.metrics()}); default {@link Metrics#NONE}, which skips all of it. For
         * Prometheus: {@code new io.nbd4j.server.prometheus.PrometheusMetrics(registry)}.
         */
        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** How TLS is offered (default off: STARTTLS is refused by policy). */
        public Builder tls(TlsSettings tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Most options one client may send in the handshake before it is disconnected (default 10000). */
        public Builder maxOptions(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("maxOptions must be at least 1: " + count);
            }
            this.maxOptions = count;
            return this;
        }

        /** Most client connections open at once; a client beyond is closed at once (default 1024). */
        public Builder maxConnections(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + count);
            }
            this.maxConnections = count;
            return this;
        }

        /** Longest time a client may take from connecting to entering transmission (default 30 s; zero: no limit). */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = requireNotNegative(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * Longest time a connection in transmission may go without a byte moving either way (default
         * zero: no limit). A request that runs longer than this is cut off too.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = requireNotNegative(timeout, "idleTimeout");
            return this;
        }

        private static Duration requireNotNegative(Duration d, String name) {
            if (Objects.requireNonNull(d, name).isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + d);
            }
            return d;
        }

        /**
         * Binds every listener, calls each layer's {@code afterStart}, and starts accepting; returns once
         * all are accepting. A layer's {@code afterStart} failing fails the start.
         */
        public NbdServer start() throws IOException {
            if (stack == null) {
                throw new IllegalStateException("layers(stack) is required");
            }
            ServerSettings settings = new ServerSettings(readOnly, threads, structuredReplies, metaContexts, verbose,
                    maskHandshake, maxPayload, maxOptions, tls, maxConnections, handshakeTimeout, idleTimeout,
                    metrics.enabled() ? new ServerMetrics(metrics) : ServerMetrics.NONE);
            NbdServer server = new NbdServer(settings, stack);
            try {
                boundListeners.forEach(server::adopt);
                for (Path path : unixSockets) {
                    server.bindUnix(path);
                }
                for (int i = 0; i < tcpHosts.size(); i++) {
                    server.bindTcp(tcpHosts.get(i), tcpPorts.get(i));
                }
                server.stack.afterStart(server.control);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            } catch (Exception e) {
                server.close();
                throw new IOException("starting the layers failed: " + e.getMessage(), e);
            }
            server.startAcceptors();
            FlightEvents.declare(ObservedRequests.EVENT_NAME);
            // Off the path to the first client: following recordings loads a few JFR classes.
            Thread.ofPlatform().daemon().name("nbd4j-jfr-watch").start(FlightEvents::watch);
            return server;
        }
    }
}
