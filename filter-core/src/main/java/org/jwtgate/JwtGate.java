package org.jwtgate;

import java.time.Clock;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationStores;
import org.jwtgate.verify.JwtVerifier;

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

    private JwtGate(JwtGateConfig config, JwtVerifier verifier, RevocationStore store, Clock clock) {
        this.config = config;
        this.verifier = verifier;
        this.store = store;
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
