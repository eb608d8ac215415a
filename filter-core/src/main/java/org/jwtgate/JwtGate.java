package org.jwtgate;

import java.time.Clock;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationStores;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.JwtVerifier;
import org.jwtgate.verify.Rejection;
import org.jwtgate.verify.VerifiedTokenCache;

/**
 * The parts JwtGate runs on, built once from one configuration: the verifier and the
 * revocation service with its store. Shared by the filter, the CLI and CDI. Close it to release
 * the Redis and JWKS clients.
 */
public final class JwtGate implements AutoCloseable {

    private final JwtGateConfig config;
    private final JwtVerifier verifier;
    private final RevocationStore store;
    private final RevocationService revocation;
    private final VerifiedTokenCache cache;

    private JwtGate(JwtGateConfig config, JwtVerifier verifier, RevocationStore store, Clock clock) {
        this.config = config;
        this.verifier = verifier;
        this.store = store;
        int cacheSize = config.token().cacheSize();
        this.cache = cacheSize > 0 ? new VerifiedTokenCache(cacheSize, config.verification().clockSkewSeconds(), clock) : null;
        this.revocation = new RevocationService(store, config.revocation(), config.verification(), clock);
    }

    /** Builds everything the configuration names; a store given here replaces the configured one. */
    public static JwtGate start(JwtGateConfig config, RevocationStore storeOverride, Clock clock) {
        JwtVerifier verifier = JwtVerifier.create(config.verification(), config.token());
        try {
            RevocationStore store = storeOverride != null ? storeOverride : RevocationStores.create(config, clock);
            return new JwtGate(config, verifier, store, clock);
        } catch (RuntimeException e) {
            verifier.close();
            throw e;
        }
    }

    public static JwtGate start(JwtGateConfig config) {
        return start(config, null, Clock.systemUTC());
    }

    public JwtGateConfig config() {
        return config;
    }

    public JwtVerifier verifier() {
        return verifier;
    }

    /**
     * Verifies a token, through the verified-token cache when {@code token.cache-size} &gt; 0.
     * Revocation is not checked here: ask {@link #revocation()} on every request.
     *
     * @throws InvalidTokenException when the token is refused
     */
    public JwtPrincipal verify(String token) {
        if (cache == null) {
            return verifier.verify(token);
        }
        if (token.length() > config.token().maxLength()) {
            throw new InvalidTokenException(Rejection.TOO_LONG);
        }
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf(token);
        JwtPrincipal cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        JwtPrincipal principal = verifier.verify(token);
        cache.put(key, principal);
        return principal;
    }

    public RevocationService revocation() {
        return revocation;
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            verifier.close();
        }
    }
}
