package org.jwtgate.engine;

import java.time.Clock;
import java.util.Objects;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.verify.JwtVerifier;
import org.jwtgate.internal.verify.VerifiedTokenCache;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;

/**
 * The parts JwtGate runs on, built once from one configuration: the token verifier (with its
 * verified-token cache and, for {@code jwt.jwks-uri}, its JWKS client) and the revocation service
 * with its store (for Redis: its connections and the near-cache). Thread-safe; close it to release
 * the Redis and JWKS clients. The filter and the admin CLI
 * run on one of these; an application uses it directly to verify tokens where no filter runs
 * (a WebSocket handshake, a message listener).
 *
 * <pre>{@code
 * JwtGateConfig config = JwtGateConfig.load(Map.of(
 *         ConfigKeys.JWT_ISSUER, "https://login.example.com",
 *         ConfigKeys.JWT_JWKS_URI, "https://login.example.com/jwks.json",
 *         ConfigKeys.REVOCATION_STORE, "redis-cluster",
 *         ConfigKeys.REDIS_NODES, "10.0.0.1:7000,10.0.0.2:7000"), ConfigSources.system());
 * try (JwtGate gate = JwtGate.start(config)) {
 *     JwtPrincipal user = gate.verify(token);          // InvalidTokenException when refused
 *     if (gate.revocation().isRevoked(user)) { ... }   // RevocationUnavailableException when Redis cannot answer
 * }
 * }</pre>
 *
 * @since 1.0.0
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

    /**
     * Builds everything the configuration names: the verifier (fetching the JWKS now, for
     * {@code jwt.jwks-uri}) and the store of {@code revocation.store}.
     *
     * @throws org.jwtgate.JwtGateException when a part cannot be built (nothing is left open then)
     */
    public static JwtGate start(JwtGateConfig config) {
        return start(config, null, Clock.systemUTC());
    }

    /**
     * As {@link #start(JwtGateConfig)}, with a store of your own in place of the configured one
     * (the gate closes it) and a clock (tests).
     *
     * @param storeOverride a store to use instead of {@code revocation.store}'s, or {@code null}
     */
    public static JwtGate start(JwtGateConfig config, RevocationStore storeOverride, Clock clock) {
        Objects.requireNonNull(config, "config");
        JwtVerifier verifier = JwtVerifier.create(config.verification(), config.token());
        try {
            RevocationStore store = storeOverride != null ? storeOverride : RevocationStores.create(config, clock);
            return new JwtGate(config, verifier, store, clock);
        } catch (RuntimeException e) {
            verifier.close();
            throw e;
        }
    }

    /** The configuration this gate was built from. */
    public JwtGateConfig config() {
        return config;
    }

    /**
     * Verifies a token: signature with an allowed algorithm and a configured key, issuer, audience,
     * type, time claims, required claims. Answered from the verified-token cache when
     * {@code token.cache-size} &gt; 0 (expiry is still checked on every hit). Revocation is not
     * checked here: ask {@link #revocation()} on every use.
     *
     * @throws InvalidTokenException   when the token is refused; {@link InvalidTokenException#rejection()} says why
     * @throws KeysUnavailableException when no JWKS could be loaded yet
     */
    public JwtPrincipal verify(String token) {
        if (cache == null) {
            return verifier.verify(token);
        }
        if (token.length() > config.token().maxLength()) {
            throw new InvalidTokenException(Rejection.TOO_LONG); // never hash an oversized token
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

    /** Revoking tokens and users, and asking whether a verified token is revoked. */
    public RevocationService revocation() {
        return revocation;
    }

    /** The revocation store and key source in a few words, for a start-up log line. */
    public String describe() {
        return "revocation store " + store.describe() + ", " + config.describe();
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
