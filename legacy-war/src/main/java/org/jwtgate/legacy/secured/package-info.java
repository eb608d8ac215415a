/**
 * Internal (an example application): the servlets of {@code secured.war}, a web.xml WAR whose
 * security-constraints and {@code @ServletSecurity} the container enforces, with JwtGate's Jakarta
 * Authentication module establishing the caller from the bearer token. Deployed by the integration tests
 * into the official Tomcat 11 and Jetty 12 distributions.
 *
 * <p>Where it sits in a request's path: last — after the module established the caller and the container
 * checked the constraint; the servlets show what the container knows.
 */
package org.jwtgate.legacy.secured;
