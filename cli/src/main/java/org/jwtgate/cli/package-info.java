/**
 * Internal (an application, not a library): the admin CLI — {@code java -jar jwtgate-cli.jar
 * revoke-token|revoke-user|status|gen-secret|check-config}. Its contract is its commands, options,
 * output and exit codes ({@link org.jwtgate.cli.ExitCode}), not its classes. Uses only JwtGate's API.
 *
 * <p>Where it sits in a request's path: outside it — it revokes, from an operator's shell, what the
 * next request is refused for, and checks a configuration before it is deployed.
 */
package org.jwtgate.cli;
