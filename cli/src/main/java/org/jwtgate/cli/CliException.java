package org.jwtgate.cli;

/**
 * Ends a command with an exit code and one line for standard error. The message is shown to
 * the operator as is, so it never holds a token or a secret.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    CliException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCode.INVALID_INPUT, message);
    }

    ExitCode exitCode() {
        return exitCode;
    }
}
