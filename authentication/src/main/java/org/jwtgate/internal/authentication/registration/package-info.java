/**
 * Internal: switching the Jakarta Authentication module on for one WAR — the
 * {@code ServletContainerInitializer} ({@code AuthenticationInitializer}) that reads the WAR's
 * {@code jwtgate.*} context-params, registers the module with the container's
 * {@code AuthConfigFactory} (with a provider of its own where the factory lacks
 * {@code registerServerAuthModule}, as Jetty 12's does), starts it when the application's listeners
 * run and closes it when the application stops.
 * No compatibility promise.
 *
 * <p>Where it sits in a request's path: before any request, at deployment; it decides that the
 * container's authenticator calls the module for every request of the application.
 */
package org.jwtgate.internal.authentication.registration;
