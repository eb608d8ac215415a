/**
 * Internal: what the Jakarta Authentication module needs besides filter-core's shared steps — its
 * configuration rules ({@code ModuleSettings}: the filter's keys and checks, the {@code paths.*} keys
 * refused) and where a refusal is written ({@code ResponseChannel}: the servlet response, or Jetty 12's
 * own response through {@code JettyCoreChannel}), and which container handler a request's caller goes to
 * ({@code RequestCallbackHandler}). No compatibility promise.
 *
 * <p>Where it sits in a request's path: inside the module's {@code validateRequest}, when a request is
 * refused — the refusal goes out through a channel of this package.
 */
package org.jwtgate.internal.authentication;
