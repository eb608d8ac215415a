/**
 * API (test kit): {@link org.jwtgate.testkit.process.ServerProcesses}, what a test or benchmark needs to
 * run a server of its own as a child process — a free loopback port, and a stop that always ends it and
 * its children. Used for the real Tomcat and Jetty distributions of the tests and the benchmarks.
 * {@link org.jwtgate.testkit.process.PortClaims} keeps two JVMs from picking the same port;
 * {@link org.jwtgate.testkit.process.LeftoverServers} stops the servers a JVM killed outright left running, trusting
 * only records in a directory {@link org.jwtgate.testkit.process.OwnFiles} calls this user's own.
 * {@link org.jwtgate.testkit.process.BoundedCommands} runs a short command (a script, keytool, the CLI) to
 * its end within a time limit.
 *
 * <p>Where it sits in a request's path: outside it — it runs the container that serves the request.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit.process;
