/**
 * Internal: the optional Micrometer meters ({@code jwtgate.*}) over one JwtGate's metrics; the only
 * package that uses Micrometer, loaded only when the application has it on its class path. No
 * compatibility promise (the meter names and tags are documented in docs/operations.md).
 *
 * <p>Where it sits in a request's path: outside it — the registry reads what the requests counted.
 */
package org.jwtgate.internal.micrometer;
