/**
 * Internal: the per-request steps every front end shares ({@code TokenAuthentication}: find the
 * token, verify it, check revocation, apply the CSRF rule), the RFC 6750 answers
 * ({@code BearerErrorResponder}), the request that presents the verified principal through the
 * servlet API ({@code AuthenticatedRequest}; {@code AnonymousRequest} for one let through without a caller, whose
 * {@code authenticate()} answers with the front end's {@code Challenge}), and what a front end records on the
 * request about its caller ({@code CallerRecord}). No compatibility promise.
 *
 * <p>Where it sits in a request's path: at the end — a refusal is answered here; an accepted
 * request continues wrapped.
 */
package org.jwtgate.internal.web;
