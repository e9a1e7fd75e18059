/**
 * The service provider interface of nbd4j: what a plugin or filter author compiles against.
 *
 * <p>A {@link io.nbd4j.spi.Plugin} supplies the bytes of an export; a {@link io.nbd4j.spi.Filter}
 * sits between the client and the plugin and changes how requests are served. Both are configured
 * once per server ({@code config}, {@code configComplete}, {@code getReady}) and then open one
 * {@link io.nbd4j.spi.Handle} per client connection. A filter's handle wraps the {@link io.nbd4j.spi.Next}
 * handle of the layer below it; {@link io.nbd4j.spi.FilterHandle} passes every call through, so a
 * filter overrides only what it changes.
 *
 * <p>Beyond the data path a layer sees the server and its clients: {@link io.nbd4j.spi.Layer#preconnect}
 * with a {@link io.nbd4j.spi.ClientInfo} before each handshake, {@link io.nbd4j.spi.Layer#afterStart}
 * with the {@link io.nbd4j.spi.ServerControl}, and in {@code open} the
 * {@link io.nbd4j.spi.OpenRequest#connection() ClientConnection} (disconnect, sleep). A filter may
 * replace the layers below it with {@link io.nbd4j.spi.NextOpener#reopen}, and reads the extents of the
 * layer below with {@link io.nbd4j.spi.ExtentList} and the {@link io.nbd4j.spi.Extents} wrappers.
 *
 * <p>For monitoring, a layer publishes counters, gauges and timers through the
 * {@link io.nbd4j.spi.Metrics} of {@link io.nbd4j.spi.ServerControl#metrics()} (served to Prometheus by
 * {@code nbd4j --metrics}; the SPI itself depends on no metrics library), and emits Java Flight
 * Recorder events named {@code io.nbd4j.*} while {@link io.nbd4j.spi.FlightEvents#isRecording()}.
 *
 * <p>Errors are reported by throwing {@link io.nbd4j.spi.NbdException} with the {@link io.nbd4j.spi.NbdError}
 * the client should see; any other {@link java.io.IOException} reaches the client as {@code EIO}.
 */
package io.nbd4j.spi;
