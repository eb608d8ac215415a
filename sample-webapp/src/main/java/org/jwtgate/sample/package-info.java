/**
 * Internal (an example application): the JwtGate sample on embedded Jetty 12 and Weld SE —
 * {@link org.jwtgate.sample.SampleApp} builds the server, {@code SampleRuntime} starts Redis (a
 * local cluster by default), the filter and the CDI container. Uses only JwtGate's API.
 *
 * <p>Where it sits in a request's path: around it — it installs the filter in front of its servlets.
 */
package org.jwtgate.sample;
