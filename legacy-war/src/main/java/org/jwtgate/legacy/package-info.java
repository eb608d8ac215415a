/**
 * Internal (an example application): a plain web.xml WAR protected by {@code JwtAuthFilter},
 * deployed by the integration tests into the official Tomcat 11 and Jetty 12 distributions.
 *
 * <p>Where it sits in a request's path: after the filter — its servlets show what the filter
 * established.
 */
package org.jwtgate.legacy;
