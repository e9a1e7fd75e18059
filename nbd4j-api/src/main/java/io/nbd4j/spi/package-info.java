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
 * <p>Errors are reported by throwing {@link io.nbd4j.spi.NbdException} with the {@link io.nbd4j.spi.NbdError}
 * the client should see; any other {@link java.io.IOException} reaches the client as {@code EIO}.
 */
package io.nbd4j.spi;
