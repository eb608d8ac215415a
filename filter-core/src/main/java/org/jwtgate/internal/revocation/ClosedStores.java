package org.jwtgate.internal.revocation;

import org.jwtgate.revocation.RevocationUnavailableException;

/**
 * What a store's call made after its {@code close()} fails with: a request or a revocation still under way when the
 * filter or module stopped. Never an answer from emptied state: a check would say "not revoked", a revocation
 * "durable".
 */
public final class ClosedStores {

    private ClosedStores() {
    }

    /**
     * @param notAsked what was not asked, e.g. {@code Redis not asked}
     * @return the failure, which the filter answers per {@code revocation.failure-mode}
     */
    public static RevocationUnavailableException failure(String notAsked) {
        return new RevocationUnavailableException(notAsked + ": JwtGate was closed (its filter or authentication "
                + "module stopped, or JwtGate.close() was called)");
    }
}
