/**
 * API: the settings — their names and descriptions ({@link org.jwtgate.config.ConfigKeys},
 * {@link org.jwtgate.config.Setting}), where they come from ({@link org.jwtgate.config.ConfigSources},
 * {@link org.jwtgate.config.Settings}) and the immutable configuration parsed once from them
 * ({@link org.jwtgate.config.JwtGateConfig}) with its typed, read-only parts.
 *
 * <p>Where it sits in a request's path: before it — the filter's {@code init()} parses the
 * configuration once, failing on any bad or unknown setting; requests then only read it.
 * Depends on nothing of JwtGate but the exception family; no servlet type.
 *
 * @since 1.0.0
 */
package org.jwtgate.config;
