package org.jwtgate.internal.revocation;

import java.time.Duration;
import java.time.Instant;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.TokenRef;

/** {@code revocation.store=none}: nothing is ever revoked, and revoking is refused loudly. */
public final class NoRevocationStore implements RevocationStore {

    @Override
    public boolean isRevoked(TokenRef token) {
        return false;
    }

    @Override
    public RevocationResult revokeToken(TokenRef token, Duration ttl) {
        throw new UnsupportedOperationException("revocation.store=none: tokens cannot be revoked");
    }

    @Override
    public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
        throw new UnsupportedOperationException("revocation.store=none: users cannot be revoked");
    }

    @Override
    public RevocationResult register(TokenRef token, Duration ttl) {
        throw new UnsupportedOperationException("revocation.store=none: nothing to register");
    }

    @Override
    public String describe() {
        return "none";
    }

    @Override
    public void close() {
    }
}
