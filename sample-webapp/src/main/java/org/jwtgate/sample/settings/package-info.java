/**
 * Internal (sample): the sample's own settings ({@code PORT}, {@code SAMPLE_*}), read once from the
 * environment and system properties; JwtGate's settings keep their own keys.
 *
 * <p>Where it sits in a request's path: before it — read at start-up.
 */
package org.jwtgate.sample.settings;
