/**
 * API (test kit): {@link org.jwtgate.testkit.attacks.HostileTokens}, the catalog of hostile tokens every
 * JwtGate front end (the filter, the Jakarta Authentication module) must refuse without a 200 or a 500.
 *
 * <p>Where it sits in a request's path: before it — it makes the bearer tokens attack requests carry.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit.attacks;
