/**
 * Internal (sample): issuing access tokens that the filter accepts, and rotating refresh tokens
 * whose reuse revokes their whole family.
 *
 * <p>Where it sits in a request's path: before the filter's — it mints the tokens later requests carry.
 */
package org.jwtgate.sample.token;
