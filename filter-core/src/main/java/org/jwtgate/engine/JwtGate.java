package org.jwtgate.engine;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.dpop.DpopProof;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.internal.dpop.DpopVerifier;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.NoRevocationStore;
import org.jwtgate.internal.revocation.ProofJtiStore;
import org.jwtgate.internal.revocation.ProofRecordFullException;
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
 * <p>{@link #verify} does not apply {@code dpop.mode}: a DPoP-bound token ({@link JwtPrincipal#isDpopBound()})
 * passes it without a proof, and with {@code dpop.mode=required} so does a bearer token. A caller that
 * verifies tokens itself applies the mode as the filter does: it refuses a principal that
 * {@linkplain JwtPrincipal#claimsDpopBinding() claims a binding} unless it also checked the
 * request's proof with {@link #verifyDpopProof(String, String, URI, String, JwtPrincipal)}, and with
 * {@code dpop.mode=required} it refuses every token presented without a proof.
 *
 * <p>With {@code dpop.mode} {@code allowed} or {@code required}, {@link #verifyDpopProof} checks the DPoP
 * proof (RFC 9449) of a request, or of a token request, and records it as used in the revocation store:
 *
 * <pre>{@code
 * JwtPrincipal user = gate.verify(accessToken);
 * DpopProof proof = gate.verifyDpopProof(dpopHeader, "GET", URI.create("https://api.example.com/orders"),
 *         accessToken, user);                       // InvalidDpopProofException when refused
 * }</pre>
 *
 * @since 1.0.0
 */
public final class JwtGate implements AutoCloseable {

    private final JwtGateConfig config;
    /** How long a revocation short of replicas keeps the health DEGRADED. */
    private static final long DURABILITY_WINDOW_MILLIS = 5 * 60_000L;
    /** How long health says DEGRADED after a DPoP proof met a full record (nothing else tells it is full). */
    private static final long FULL_PROOF_RECORD_WINDOW_MILLIS = 60_000L;
    /**
     * How long health says DEGRADED after Redis refused a revocation or a proof record with OOM, NOREPLICAS, MISCONF or
     * READONLY while answering reads (nothing else tells it: the probes write nothing). As for a full record, the state
     * lapses with this window, not with the next write that passes: that one may have gone to another master.
     */
    private static final long WRITES_REFUSED_WINDOW_MILLIS = 60_000L;

    private final JwtVerifier verifier;
    private final GateMetrics metrics;
    private final RevocationStore store;
    private final StoreProbe storeProbe;
    /** With DPoP: whether the store would record proofs (its ACL), asked as often as the store; null without DPoP. */
    private final StoreProbe proofProbe;
    /** The last refusal {@link #proofProbe} met, in words: what health names. */
    private volatile String proofRefusal;
    /** Which record of proofs was last found full, when not the store's own (null): for health's words. */
    private volatile String fullRecord;
    /** Set by {@link #close()}: health is then DOWN. */
    private volatile boolean closed;
    private final RevocationService revocation;
    private final VerifiedTokenCache cache;
    private final ProofJtiStore usedProofs;
    private final DpopVerifier dpop;

    private JwtGate(JwtGateConfig config, JwtVerifier verifier, RevocationStore store, ProofJtiStore usedProofs,
                    Clock clock, GateMetrics metrics) {
        this.config = config;
        this.verifier = verifier;
        this.metrics = metrics;
        // A near-cache counts its own checks; revocation.store=none makes none, so there is nothing to count.
        this.store = store.nearCacheStats().isPresent() || store instanceof NoRevocationStore ? store
                : new CountedChecks(store, metrics);
        this.storeProbe = new StoreProbe(this.store::isHealthy, System::nanoTime);
        this.usedProofs = usedProofs;
        this.proofProbe = usedProofs == null ? null : new StoreProbe(this::proofsAccepted, System::nanoTime);
        this.dpop = usedProofs == null ? null
                : new DpopVerifier(config.dpop(), config.verification().clockSkewSeconds(), usedProofs, clock);
        int cacheSize = config.token().cacheSize();
        this.cache = cacheSize > 0 ? new VerifiedTokenCache(cacheSize,
                config.verification().maxAgeSeconds(), config.verification().clockSkewSeconds(), clock) : null;
        if (cache != null) {
            metrics.attachCacheSize(cache::size);
        }
        this.revocation = new RevocationService(this.store, config.revocation(), config.verification(), clock);
        GateMetrics.register(this, metrics);
    }

    /**
     * Builds everything the configuration names: the verifier (fetching the JWKS now, for
     * {@code jwt.jwks-uri}) and the store of {@code revocation.store}.
     *
     * @param config the validated configuration
     * @return a running gate; close it when done
     * @throws org.jwtgate.JwtGateException when a part cannot be built (nothing is left open then)
     */
    public static JwtGate start(JwtGateConfig config) {
        return start(config, null, Clock.systemUTC());
    }

    /**
     * As {@link #start(JwtGateConfig)}, with a store of your own in place of the configured one
     * (the gate closes it) and a clock (tests).
     *
     * @param config        the validated configuration
     * @param storeOverride a store to use instead of {@code revocation.store}'s, or {@code null}; with
     *                      {@code revocation.store=none} a store is a {@link org.jwtgate.config.ConfigurationException}
     * @param clock         the clock of DPoP proofs' {@code iat} and nonces, of the verified-token cache's expiry
     *                      checks, of revocation instants and of the stores' entry lifetimes; not of the signature
     *                      check, whose {@code exp}, {@code nbf} and {@code iat} jose4j compares with the system clock
     * @return a running gate; close it when done
     * @throws NullPointerException         when {@code config} or {@code clock} is null (the given store closed, as
     *                                      on any failed start)
     * @throws org.jwtgate.JwtGateException when a part cannot be built (nothing is left open then, the given store
     *                                      included)
     */
    public static JwtGate start(JwtGateConfig config, RevocationStore storeOverride, Clock clock) {
        GateMetrics metrics = new GateMetrics();
        JwtVerifier verifier = null;
        RevocationStores.Built stores = null;
        try {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(clock, "clock");
            if (storeOverride != null && config.revocation().store() == RevocationSettings.StoreType.NONE) {
                // The store would be asked only for tokens that happen to carry jti and sub, while health, metrics and
                // the start-up WARN say revocation is off: one of the two is a mistake, so say which.
                throw new ConfigurationException("Invalid setting [" + ConfigKeys.REVOCATION_STORE + "]: [none], but a "
                        + "RevocationStore was given to the builder; name the kind of store given (memory, redis or "
                        + "redis-cluster), or give none");
            }
            verifier = JwtVerifier.create(config.verification(), config.token(), metrics);
            stores = RevocationStores.create(config, storeOverride, clock, metrics);
            return new JwtGate(config, verifier, stores.revocation(), stores.proofs(), clock, metrics);
        } catch (RuntimeException | Error e) {
            // Whatever step failed, the caller's store is closed, as a started gate would close it.
            closeQuietly(e, verifier, stores == null ? null : stores.proofs(),
                    stores == null ? storeOverride : stores.revocation());
            throw e;
        }
    }

    /**
     * The configuration this gate was built from.
     *
     * @return the configuration; never null
     */
    public JwtGateConfig config() {
        return config;
    }

    /**
     * Verifies a token: signature with an allowed algorithm and a configured key, issuer, audience,
     * type, time claims, required claims. Answered from the verified-token cache when
     * {@code token.cache-size} &gt; 0 (expiry is still checked on every hit). Revocation is not
     * checked here: ask {@link #revocation()} on every use. Nor is {@code dpop.mode}: refuse a principal that
     * {@linkplain JwtPrincipal#claimsDpopBinding() claims a DPoP binding} unless the request's proof passed
     * {@link #verifyDpopProof(String, String, URI, String, JwtPrincipal)}, and with {@code dpop.mode=required}
     * refuse any token presented without a proof (see the class description). Nor is a certificate binding
     * (RFC 8705 §3: {@code cnf} with {@code x5t#S256}): without a request there is no client certificate to compare,
     * so the filter and the Jakarta Authentication module check it, on every request
     * ({@link Rejection#CERTIFICATE_MISMATCH}); a caller of this method that takes such tokens must compare the
     * certificate of its own connection itself.
     *
     * @param token the compact JWS, without a {@code Bearer } prefix; null or empty is refused as
     *              {@link Rejection#MALFORMED}
     * @return the verified caller
     * @throws InvalidTokenException   when the token is refused; {@link InvalidTokenException#rejection()} says why
     * @throws KeysUnavailableException when no JWKS could be loaded yet
     */
    public JwtPrincipal verify(String token) {
        long start = System.nanoTime();
        try {
            return verifyTimed(token);
        } finally {
            metrics.verification().record(System.nanoTime() - start);
        }
    }

    private JwtPrincipal verifyTimed(String token) {
        if (cache == null || token == null) {
            return verifier.verify(token); // which refuses a null token as MALFORMED
        }
        if (token.length() > config.token().maxLength()) {
            throw new InvalidTokenException(Rejection.TOO_LONG); // never hash an oversized token
        }
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf(token);
        long keyEpoch = verifier.keyEpoch(); // before verifying: a key withdrawn meanwhile makes the entry stale
        JwtPrincipal cached = cache.get(key, keyEpoch);
        if (cached != null) {
            metrics.cacheHit();
            return cached;
        }
        metrics.cacheMiss();
        JwtPrincipal principal = verifier.verify(token);
        cache.put(key, principal, keyEpoch);
        return principal;
    }

    /**
     * Checks the DPoP proof (RFC 9449 §4.3, §7) of a request to a protected resource that presented
     * {@code accessToken} with the {@code DPoP} scheme, and records the proof as used (its {@code jti},
     * in the revocation store, so no instance accepts it again). The checks: a {@code dpop+jwt} JWS with an
     * algorithm of {@code dpop.algorithms} and a public {@code jwk} that verifies it; {@code htm} and
     * {@code htu} naming this request; {@code iat} within {@code dpop.proof-max-age-seconds};
     * {@code ath} the hash of the access token; the token's {@code cnf.jkt} the thumbprint of the proof's
     * key; with {@code dpop.nonce=required}, a nonce issued by an instance with the same secret.
     *
     * @param proof       the value of the request's one {@code DPoP} header
     * @param method      the request's method
     * @param requestUri  the request's URI as received: scheme, host, port and raw path (the query is ignored);
     *                    with {@code dpop.public-base-url} only its path counts
     * @param accessToken the access token of {@code Authorization: DPoP}
     * @param token       that token, verified by {@link #verify(String)}
     * @return the proof's key thumbprint and {@code jti}, and a fresh nonce when one is due
     * @throws InvalidDpopProofException the proof is refused; {@code use_dpop_nonce} rejections carry a fresh nonce
     * @throws InvalidTokenException     {@link Rejection#DPOP_KEY_MISMATCH}: the token is not bound to the proof's key
     * @throws org.jwtgate.revocation.RevocationUnavailableException the store could not record the proof
     * @throws IllegalStateException     {@code dpop.mode=off}
     * @since 1.0.0
     */
    public DpopProof verifyDpopProof(String proof, String method, URI requestUri, String accessToken, JwtPrincipal token) {
        return noticingFullRecord(() -> requireDpop().verify(proof, method, requestUri, accessToken, token));
    }

    /**
     * Checks the DPoP proof of a token request (RFC 9449 §5) — a login or refresh endpoint about to issue
     * DPoP-bound tokens — and records it as used: the same checks without an access token. Bind the tokens
     * to {@link DpopProof#thumbprint()} ({@code cnf.jkt}). The one-time record is keyed by the proof's key:
     * a proof is accepted once, whatever username comes with it.
     *
     * @param proof      the value of the request's one {@code DPoP} header
     * @param method     the request's method
     * @param requestUri the request's URI as received (the query is ignored); with {@code dpop.public-base-url} only
     *                   its path counts
     * @return the proof's key thumbprint and {@code jti}, and a fresh nonce when one is due
     * @throws InvalidDpopProofException the proof is refused; {@code use_dpop_nonce} rejections carry a fresh nonce
     * @throws org.jwtgate.revocation.RevocationUnavailableException the store could not record the proof
     * @throws IllegalStateException     {@code dpop.mode=off}
     * @since 1.1.0
     */
    public DpopProof verifyDpopProof(String proof, String method, URI requestUri) {
        return noticingFullRecord(() -> requireDpop().verify(proof, method, requestUri));
    }

    /**
     * A full record of proofs answers every new DPoP request 503 until it has room, in either failure mode, while the
     * health probes (a read, a permission check) still pass: noted here for {@link #health()}.
     */
    private DpopProof noticingFullRecord(Supplier<DpopProof> check) {
        try {
            return check.get();
        } catch (ProofRecordFullException e) {
            fullRecord = e.record();
            metrics.proofRecordFull();
            throw e;
        }
    }

    /**
     * The same as {@link #verifyDpopProof(String, String, URI)}: {@code subject} is ignored. In 1.0.0 the
     * proof's record was kept per {@code subject}, the username a login request claims, so a captured proof
     * could be used once more with each other username.
     *
     * @param proof      the value of the request's one {@code DPoP} header
     * @param method     the request's method
     * @param requestUri the request's URI as received
     * @param subject    ignored
     * @return as {@link #verifyDpopProof(String, String, URI)}
     * @deprecated since 1.1.0: use {@link #verifyDpopProof(String, String, URI)}
     * @since 1.0.0
     */
    @Deprecated(since = "1.1.0")
    public DpopProof verifyDpopProof(String proof, String method, URI requestUri, String subject) {
        return verifyDpopProof(proof, method, requestUri);
    }

    /**
     * A DPoP nonce issued now (for a {@code DPoP-Nonce} header), valid on every instance with the same
     * {@code dpop.nonce-secret}; empty unless {@code dpop.nonce=required}.
     *
     * @return the nonce, or empty
     * @since 1.0.0
     */
    public Optional<String> newDpopNonce() {
        return dpop == null ? Optional.empty() : Optional.ofNullable(dpop.newNonce());
    }

    private DpopVerifier requireDpop() {
        if (dpop == null) {
            throw new IllegalStateException("DPoP is off: set " + org.jwtgate.config.ConfigKeys.DPOP_MODE
                    + " to allowed or required");
        }
        return dpop;
    }

    /**
     * Revoking tokens and users, and asking whether a verified token is revoked.
     *
     * @return this gate's revocation service; never null (with {@code revocation.store=none} its revocations throw
     *         {@link UnsupportedOperationException})
     */
    public RevocationService revocation() {
        return revocation;
    }

    /**
     * Whether this gate can do its job now (see {@link Health} for what each status means). Asks the
     * revocation store (one {@code MGET} per Redis master, the read a check makes, within {@code redis.timeout-ms}, and
     * one {@code EVAL} per master asking whether its ACL allows the revocations' script and commands; with DPoP also
     * one {@code EVAL} per master asking whether its ACL allows the proof record's commands and keys)
     * at most once a second, one caller at a time; the other calls reuse its answer (while a probe runs, one up to 5 s old),
     * so a public health endpoint can be called often without loading Redis or holding threads while Redis is
     * unreachable.
     *
     * @return the verdict and what each part says
     */
    public Health health() {
        if (closed) {
            // Its store and key source are closed: every check and revocation now fails, whatever they said last.
            return new Health(Health.Status.DOWN, Map.of("gate", "closed"));
        }
        Map<String, String> details = new LinkedHashMap<>();
        Health.Status status = Health.Status.UP;
        GateMetrics.JwksGauges jwks = metrics.jwks();
        if (jwks != null) {
            int keys = jwks.keys();
            long age = jwks.millisSinceLastSuccess();
            details.put("keys", keys > 0 ? "jwks, " + keys + " keys, refreshed " + (age / 1000) + " s ago" : "jwks, none loaded");
            if (keys == 0) {
                status = Health.Status.DOWN;
            }
        } else {
            details.put("keys", config.verification().secret() != null ? "secret" : "public key");
        }
        boolean failOpen = config.revocation().failureMode() == RevocationSettings.FailureMode.OPEN;
        GateMetrics.NearCacheGauges nearCache = metrics.nearCache();
        boolean storeUp = true;
        String proofsRefused = null;
        boolean proofRecordFull = false;
        String revocationsRefused = null;
        boolean writesRefused = false;
        if (config.revocation().store() == RevocationSettings.StoreType.NONE) {
            details.put("revocation-store", "none");
        } else {
            storeUp = storeProbe.isUp();
            proofsRefused = proofProbe == null || proofProbe.isUp() ? null : proofRefusal;
            // Redis answered but refused the user: named, or it reads as an outage (a network fault to look for).
            String checksRefused = storeUp ? null : metrics.storeRefusal();
            List<String> refusals = new ArrayList<>();
            // Allowlist mode writes a token's registration through the same commands (and on the same masters) as its
            // revocations: a refusal refuses both, and a refused login is no "revocation" to whoever reads this.
            String writesName = config.revocation().mode() == RevocationSettings.Mode.ALLOWLIST
                    ? "registrations and revocations" : "revocations";
            if (checksRefused != null) {
                refusals.add("revocation checks refused: " + checksRefused);
            }
            // The checks answer, but every revoke and revokeUser fails (an ACL without +eval or a script's command):
            // logouts do not take effect, and retries never help.
            revocationsRefused = storeUp ? metrics.writeRefusal() : null;
            if (revocationsRefused != null) {
                refusals.add(writesName + " refused: " + revocationsRefused);
            }
            // Redis answers reads but refused a write (NOREPLICAS, MISCONF, READONLY, OOM) lately: revocations fail.
            String revocationWritesRefused = writesRefused(GateMetrics.RedisWrite.REVOCATION);
            if (revocationWritesRefused != null) {
                refusals.add(writesName + " refused: " + revocationWritesRefused);
            }
            if (proofsRefused != null) {
                refusals.add("DPoP proof records refused: " + proofsRefused);
            }
            // ... or a proof record: new DPoP requests to that master get 503 (failing open they pass unrecorded).
            String proofWritesRefused = writesRefused(GateMetrics.RedisWrite.PROOF_RECORD);
            if (proofWritesRefused != null) {
                refusals.add("DPoP proof records refused: " + proofWritesRefused);
            }
            writesRefused = revocationWritesRefused != null || proofWritesRefused != null;
            long sinceFull = metrics.millisSinceProofRecordFull();
            proofRecordFull = sinceFull >= 0 && sinceFull < FULL_PROOF_RECORD_WINDOW_MILLIS;
            if (proofRecordFull) {
                String full = fullRecord;
                refusals.add("DPoP proof records refused: full (" + (full != null ? full
                        : config.revocation().store() == RevocationSettings.StoreType.MEMORY
                                ? "the in-memory record holds as many proofs as it can" : "Redis out of memory")
                        + "), " + sinceFull / 1000 + " s ago");
            }
            details.put("revocation-store", config.revocation().store().configName() + (storeUp && proofsRefused == null
                    ? " up" : " down") + (refusals.isEmpty() ? "" : " (" + String.join("; ", refusals) + ")"));
        }
        // Read after the store's answer (which may take its timeout, or be up to a second old): a fresh near-cache
        // answers checks without Redis, so a node down (a failover under way) costs revocations, not requests;
        // DOWN would take every instance out of a load balancer at once. Read once: the status and the detail
        // below must agree, and freshness may end between two reads.
        boolean nearCacheStarted = nearCache != null && nearCache.started();
        boolean nearCacheFresh = nearCacheStarted && nearCache.fresh();
        if (!storeUp) {
            status = worst(status, failOpen || nearCacheFresh ? Health.Status.DEGRADED : Health.Status.DOWN);
        }
        if (proofsRefused != null) {
            // Refused, not a failover that ends by itself; and no near-cache records proofs: every DPoP request
            // gets 503 when failing closed, however fresh the near-cache is.
            status = worst(status, failOpen ? Health.Status.DEGRADED : Health.Status.DOWN);
        }
        if (revocationsRefused != null) {
            // Requests are answered correctly; revocations fail until the ACL changes. Not DOWN: taking every instance
            // out of its load balancer would not let one revocation through.
            status = worst(status, Health.Status.DEGRADED);
        }
        if (writesRefused) {
            // New DPoP requests to that master get 503 when failing closed, revocations there fail. Not DOWN: it is seen
            // only when a write is refused, so DOWN, taking every instance that shares the Redis out of its load balancer
            // (bearer requests too), would leave no write to tell when it ends; and a replica away a moment gives it.
            status = worst(status, Health.Status.DEGRADED);
        }
        if (proofRecordFull) {
            // New DPoP requests get 503 (either mode) while bearer requests pass. Not DOWN: a flood of proofs fills
            // the in-memory record, and DOWN would let it take every instance out of its load balancer.
            status = worst(status, Health.Status.DEGRADED);
        }
        details.put("failure-mode", failOpen ? "open" : "closed");
        if (nearCache == null) {
            details.put("near-cache", "off");
        } else if (!nearCacheStarted) {
            details.put("near-cache", "idle (starts with the first check)");
        } else if (nearCacheFresh) {
            details.put("near-cache", "fresh (heartbeat " + nearCache.heartbeatAgeMillis() + " ms ago)");
        } else {
            // Redis refusing the user (an ACL without the events channel) is named: it will not end by itself.
            String refusal = nearCache.refusal();
            long heartbeatAge = nearCache.heartbeatAgeMillis();
            details.put("near-cache", "not fresh" + (heartbeatAge < 0 ? "" : " (heartbeat " + heartbeatAge + " ms ago)")
                    + ": checks read Redis" + (refusal == null ? "" : " (Redis refuses redis.user: " + refusal + ")"));
            if (storeUp) {
                status = worst(status, Health.Status.DEGRADED);
            }
        }
        long sinceShortfall = metrics.millisSinceNotDurable();
        if (config.revocation().minReplicas() == 0) {
            details.put("durability", "not required");
        } else if (sinceShortfall >= 0 && sinceShortfall < DURABILITY_WINDOW_MILLIS) {
            details.put("durability", "short: a revocation in the last 5 min was not confirmed by "
                    + config.revocation().minReplicas() + " replica(s)");
            status = worst(status, Health.Status.DEGRADED);
        } else {
            details.put("durability", "ok");
        }
        return new Health(status, details);
    }

    /**
     * Redis's last refusal of this kind of write, worded for health ("writes refused by Redis (NOREPLICAS ...), 3 s
     * ago"), when it came within {@link #WRITES_REFUSED_WINDOW_MILLIS}; else null.
     */
    private String writesRefused(GateMetrics.RedisWrite write) {
        GateMetrics.WritesRefused last = metrics.lastWritesRefused(write);
        if (last == null || last.millisAgo() >= WRITES_REFUSED_WINDOW_MILLIS) {
            return null;
        }
        return "writes refused by Redis (" + last.refusal() + "), " + last.millisAgo() / 1000 + " s ago";
    }

    /** Asks the record of DPoP proofs whether it refuses them (an ACL without its script, commands or keys). */
    private boolean proofsAccepted() {
        String refusal = usedProofs.probeRefusal();
        proofRefusal = refusal;
        return refusal == null;
    }

    private static Health.Status worst(Health.Status a, Health.Status b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * The revocation store and key source in a few words, for a start-up log line.
     *
     * @return the store's description and the effective configuration, secrets masked
     */
    public String describe() {
        return "revocation store " + store.describe() + ", " + config.describe();
    }

    /** Closes what a failed start built, keeping the start's failure as the one thrown. */
    private static void closeQuietly(Throwable failure, AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception | Error e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Closes the Redis connections and ends JwtGate's threads (near-cache, cluster discovery, JWKS refresh) before it
     * returns. Safe to call again, and from several threads. With a Redis store, a revocation, or a check the
     * near-cache does not answer, still under way or made afterwards throws
     * {@link org.jwtgate.revocation.RevocationUnavailableException} saying that JwtGate was closed.
     */
    @Override
    public void close() {
        closed = true;
        GateMetrics.unregister(this);
        try {
            if (usedProofs != null) {
                usedProofs.close();
            }
        } finally {
            try {
                store.close();
            } finally {
                verifier.close();
            }
        }
    }
}
