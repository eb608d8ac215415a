package org.jwtgate.cli;

import org.jwtgate.config.SecretKeys;

/**
 * Ends a command with an exit code and one line for standard error. The message is shown to
 * the operator as is, so it never holds a token or a secret (a {@code base64:} secret quoted in it is masked).
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    CliException(ExitCode exitCode, String message) {
        super(SecretKeys.hidden(message));
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCode.INVALID_INPUT, message);
    }

    ExitCode exitCode() {
        return exitCode;
    }
}
