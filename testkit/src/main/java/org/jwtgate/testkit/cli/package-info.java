/**
 * API (test kit): {@link org.jwtgate.testkit.cli.CliJar} runs the admin CLI jar in a child process,
 * as an operator would.
 *
 * <p>Where it sits in a request's path: outside it — the CLI revokes what later requests are refused for.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit.cli;
