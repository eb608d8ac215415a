package org.jwtgate.revocation;

/**
 * The revocation <em>is stored and in force</em>, but Redis refused the {@code WAIT} that confirms it on
 * replicas (the Redis user's ACL lacks {@code +wait} while {@code revocation.min-replicas} is above 0): as a
 * {@link RevocationResult} that is not {@code durable()}, except that no retry confirms it until the ACL allows
 * {@code WAIT}. A subclass of {@link RevocationUnavailableException}, so code that catches that one still sees it.
 *
 * <pre>{@code
 * try {
 *     revocation.revokeUser("alice");
 * } catch (RevocationUnconfirmedException e) {
 *     // in force; tell the operator the ACL refuses WAIT
 * } catch (RevocationUnavailableException e) {
 *     // maybe not in force: tell the caller to retry
 * }
 * }</pre>
 *
 * @since 1.1.0
 */
public final class RevocationUnconfirmedException extends RevocationUnavailableException {

    private static final long serialVersionUID = 1L;

    /** {@code revocation.min-replicas} at the time of the write. */
    private final int replicasRequired;

    /**
     * A stored revocation whose {@code WAIT} Redis refused.
     *
     * @param message          what Redis refused, for operators; never a token or a secret
     * @param replicasRequired {@code revocation.min-replicas}
     * @param cause            the refusal
     */
    public RevocationUnconfirmedException(String message, int replicasRequired, Throwable cause) {
        super(message, cause);
        this.replicasRequired = replicasRequired;
    }

    /**
     * The replicas that should have confirmed the write (none did, as far as is known).
     *
     * @return {@code revocation.min-replicas}
     */
    public int replicasRequired() {
        return replicasRequired;
    }
}
