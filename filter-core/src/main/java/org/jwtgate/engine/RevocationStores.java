package org.jwtgate.engine;

import java.time.Clock;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.internal.revocation.MemoryProofJtiStore;
import org.jwtgate.internal.revocation.MemoryRevocationStore;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.NoRevocationStore;
import org.jwtgate.internal.revocation.OutageProofRecord;
import org.jwtgate.internal.revocation.ProofJtiStore;
import org.jwtgate.internal.revocation.redis.RedisRevocationStores;
import org.jwtgate.revocation.RevocationStore;

/** Builds the store named by {@code revocation.store}, and with DPoP on, the record of used proofs in it. */
final class RevocationStores {

    /** The revocation store, and the record of used DPoP proofs (null when DPoP is off). */
    record Built(RevocationStore revocation, ProofJtiStore proofs) {
    }

    private RevocationStores() {
    }

    static RevocationStore create(JwtGateConfig config, Clock clock, GateMetrics metrics) {
        RevocationSettings settings = config.revocation();
        return switch (settings.store()) {
            case NONE -> new NoRevocationStore();
            case MEMORY -> new MemoryRevocationStore(settings.mode(), clock);
            case REDIS, REDIS_CLUSTER -> RedisRevocationStores.create(config, clock, metrics);
        };
    }

    /**
     * @param ownStore a revocation store of the application's, or null; the proofs are still recorded
     *                      where {@code revocation.store} says (the configuration refuses DPoP with {@code none})
     */
    static Built create(JwtGateConfig config, RevocationStore ownStore, Clock clock, GateMetrics metrics) {
        RevocationStore storeOverride = ownStore == null ? null : new OwnStore(ownStore);
        boolean dpop = config.dpop().enabled();
        if (!dpop) {
            return new Built(storeOverride != null ? storeOverride : create(config, clock, metrics), null);
        }
        RevocationSettings settings = config.revocation();
        return switch (settings.store()) {
            case NONE -> throw new IllegalStateException("DPoP needs a revocation store; the configuration refuses none");
            case MEMORY -> new Built(storeOverride != null ? storeOverride : new MemoryRevocationStore(settings.mode(), clock),
                    new MemoryProofJtiStore(clock));
            case REDIS, REDIS_CLUSTER -> {
                if (storeOverride != null) {
                    yield new Built(storeOverride,
                            heldDuringOutages(settings, RedisRevocationStores.createProofStore(config, metrics), clock));
                }
                RedisRevocationStores.Stores stores = RedisRevocationStores.createWithProofs(config, clock, metrics);
                yield new Built(stores.revocation(), heldDuringOutages(settings, stores.proofs(), clock));
            }
        };
    }

    /** Failing open, the proofs that pass unrecorded are held here and written to Redis once it answers again. */
    private static ProofJtiStore heldDuringOutages(RevocationSettings settings, ProofJtiStore proofs, Clock clock) {
        return settings.failureMode() == RevocationSettings.FailureMode.OPEN ? new OutageProofRecord(proofs, clock) : proofs;
    }
}
