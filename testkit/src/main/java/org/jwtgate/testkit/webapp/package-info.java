/**
 * API (test kit): {@link org.jwtgate.testkit.webapp.WarClassLoader}, the class loader of a WAR that holds JwtGate
 * and jose4j in {@code WEB-INF/lib}, for tests of what a stopped application still answers once its container closed
 * that loader.
 *
 * <p>Where it sits in a request's path: beneath it — the filter or module serving the request was loaded by it.
 *
 * @since 1.1.0
 */
package org.jwtgate.testkit.webapp;
