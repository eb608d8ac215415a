/**
 * Internal: small collections the request path shares — today the two-generation bounded map behind the
 * verified-token cache and the remembered revocation keys. No compatibility promise.
 *
 * <p>Where it sits in a request's path: under verification and the revocation check, which remember per
 * token what they computed; it depends on nothing of JwtGate's.
 */
package org.jwtgate.internal.collect;
