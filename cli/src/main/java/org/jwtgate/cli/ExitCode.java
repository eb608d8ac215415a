package org.jwtgate.cli;

/**
 * The CLI's exit statuses: a public contract for scripts (documented in docs/operations.md). Each
 * failure class has its own number so a script can tell "fix your input" from "retry later".
 */
public enum ExitCode {
    /** The command did what was asked; for {@code status}, the token is valid. */
    OK(0, "success"),
    /** Anything unexpected (a bug, an I/O failure outside the inputs). */
    FAILURE(1, "unexpected failure"),
    /**
     * Bad arguments, an unreadable or invalid configuration, a token that cannot be revoked, or Redis refusing the
     * configured user, password or permissions (WRONGPASS, NOPERM: retrying cannot help).
     */
    INVALID_INPUT(2, "invalid input or configuration"),
    /** The revocation store (or the JWKS endpoint) did not answer in time: retrying later may help. */
    UNAVAILABLE(3, "revocation store or key source unreachable"),
    /** The revocation is in force on the master, but fewer replicas than required confirmed it. */
    NOT_DURABLE(4, "revocation written but not confirmed by revocation.min-replicas replicas: run it again"),
    /** {@code status}: the token is expired, revoked or invalid. */
    TOKEN_REFUSED(5, "status: the token would be refused"),
    /**
     * Interrupted by Ctrl-C (SIGINT): the JVM's own status (128 + 2), never returned by {@link JwtGateCli#run}. What
     * the command was doing may or may not have been done: a revocation is run again.
     */
    INTERRUPTED(130, "interrupted (Ctrl-C): it may not have finished; run it again");

    private final int status;
    private final String meaning;

    ExitCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    public String meaning() {
        return meaning;
    }
}
