/**
 * API (test kit): {@link org.jwtgate.testkit.logs.CapturedLog} records what JwtGate logs to standard error
 * (where the tests' SLF4J provider writes it) while a test runs, and still shows it on the real stream.
 *
 * <p>Where it sits in a request's path: outside it — tests only; it reads what serving a request logged.
 *
 * @since 1.1.0
 */
package org.jwtgate.testkit.logs;
