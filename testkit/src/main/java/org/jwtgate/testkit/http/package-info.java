/**
 * API (test kit): {@link org.jwtgate.testkit.http.RawHttp}, HTTP/1.1 over a plain socket, for the
 * requests an HTTP client library would normalize or refuse (hostile tokens, oversized headers, two
 * Authorization headers), sent to the filter and to the Jakarta Authentication module alike.
 *
 * <p>Where it sits in a request's path: before it — it is the client.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit.http;
