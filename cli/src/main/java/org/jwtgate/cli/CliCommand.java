package org.jwtgate.cli;

/** One CLI command. Failures are thrown (CliException or a JwtGate exception) and mapped to an exit code by the caller. */
interface CliCommand {

    ExitCode run(CliArguments arguments, CliEnvironment environment);
}
