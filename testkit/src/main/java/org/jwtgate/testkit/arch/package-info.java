/**
 * API (test kit, optional part): {@link org.jwtgate.testkit.arch.ModuleArchitecture}, the architecture
 * rules each module's tests check on its own classes (no package cycle; only JwtGate's declared API;
 * every package declared API or internal). Needs {@code com.tngtech.archunit:archunit}.
 *
 * <p>Where it sits in a request's path: outside it — build time only.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit.arch;
