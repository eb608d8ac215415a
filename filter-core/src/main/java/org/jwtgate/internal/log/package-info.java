/**
 * Internal: JwtGate's logging — the JDK's {@code System.Logger} behind SLF4J-style placeholders, so
 * log lines reach Tomcat's and Jetty's logs with no extra jar. No compatibility promise.
 *
 * <p>Where it sits in a request's path: beside every step — refusals at DEBUG, infrastructure faults
 * at WARN, never a token or a secret.
 */
package org.jwtgate.internal.log;
