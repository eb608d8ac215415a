/**
 * Internal (sample): what the sample reports about itself — its health for {@code GET /health}
 * (JwtGate's verdict joined with the sample's own Redis needs) and the operations view an
 * administrator's page polls ({@code GET /admin/status}: Redis nodes and roles, the near-cache,
 * the filter's counters). Reads JwtGate through its public API only.
 *
 * <p>Where it sits in a request's path: behind the servlets of those two endpoints.
 */
package org.jwtgate.sample.operations;
