package org.jwtgate.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jwtgate.internal.log.AuditLog;
import org.jwtgate.internal.log.AuditSource;
import org.jwtgate.internal.log.Log;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.principal.JwtPrincipal;

/**
 * The public revocation API: revoke one token, revoke a user ("log out everywhere"), register a
 * token (allowlist mode), ask whether a token is refused. Computes the lifetimes so entries
 * live exactly as long as they matter. Thread-safe.
 *
 * <p>An application gets the service of a running filter, never builds one: as the ServletContext
 * attribute {@link #CONTEXT_ATTRIBUTE}, from {@code JwtAuthFilter.revocationService()}, or with CDI
 * by {@code @Inject RevocationService}.
 *
 * <pre>{@code
 * RevocationService revocation = (RevocationService) servletContext.getAttribute(RevocationService.CONTEXT_ATTRIBUTE);
 * JwtPrincipal user = (JwtPrincipal) request.getUserPrincipal();
 * RevocationResult logout = revocation.revoke(user);          // this token, on every server
 * RevocationResult everywhere = revocation.revokeUser(user.subject()); // every token of the user so far
 * if (!everywhere.durable()) { ... retry: in force, but not yet on a replica }
 * }</pre>
 *
 * <p>A null argument throws {@link NullPointerException} (but {@link #by}'s, which may be null).
 *
 * @since 1.0.0
 */
public final class RevocationService {

    /** ServletContext attribute holding the first filter's service in a web application. */
    public static final String CONTEXT_ATTRIBUTE = RevocationService.class.getName();

    /** An {@code exp} further ahead than this is a mistake, not a token (no store holds such a lifetime either). */
    static final int MAX_LIFETIME_YEARS = 100;

    private final RevocationStore store;
    private final RevocationSettings.Mode mode;
    /** {@code revocation.store=none}: a verified token need not carry the iss, sub and jti a revocation takes. */
    private final boolean revokesNothing;
    private final Duration clockSkew;
    private final Duration maxAge;
    private final Clock clock;
    /** Who revokes and why, for the audit trail; null when not given. */
    private final String actor;
    private final String reason;
    /**
     * The application its audit lines name ({@code filter=… context=…}), once the filter or module that started it said
     * so; shared with the services {@link #by} returns.
     */
    private final AuditSource auditSource;

    /**
     * For JwtGate's own runtime (and tests): applications use the service of a running filter.
     *
     * @param store        where revocations live; its writes must reach every instance's near-cache
     * @param revocation   {@code revocation.mode}
     * @param verification {@code jwt.clock-skew-seconds} and {@code jwt.max-age-seconds}, which bound entry lifetimes
     * @param clock        the clock of revocation instants and entry lifetimes
     * @throws NullPointerException when {@code store}, {@code revocation}, {@code verification} or {@code clock} is null
     */
    public RevocationService(RevocationStore store, RevocationSettings revocation, VerificationSettings verification,
                             Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.mode = revocation.mode();
        this.revokesNothing = revocation.store() == RevocationSettings.StoreType.NONE;
        this.clockSkew = Duration.ofSeconds(verification.clockSkewSeconds());
        this.maxAge = Duration.ofSeconds(verification.maxAgeSeconds());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = null;
        this.reason = null;
        this.auditSource = AuditSource.of(this);
    }

    private RevocationService(RevocationService service, String actor, String reason) {
        this.store = service.store;
        this.mode = service.mode;
        this.revokesNothing = service.revokesNothing;
        this.clockSkew = service.clockSkew;
        this.maxAge = service.maxAge;
        this.clock = service.clock;
        this.actor = actor;
        this.reason = reason;
        this.auditSource = service.auditSource;
    }

    /**
     * The same service, recording who revokes and why in the audit trail (the logger
     * {@code org.jwtgate.audit}): {@code revocation.by("admin:bob", "laptop stolen").revokeUser("alice")}.
     * Either may be null.
     *
     * @param actor  who revokes, such as {@code admin:bob}, or {@code null}
     * @param reason why, or {@code null}
     * @return a service sharing this one's store, whose revocations are audited with the actor and reason
     */
    public RevocationService by(String actor, String reason) {
        return new RevocationService(this, actor, reason);
    }

    /**
     * Revokes the token this principal came from.
     *
     * @param token the principal of the token to revoke, as JwtGate verified it
     * @return how durable the revocation is
     * @throws IllegalArgumentException      when the principal has no {@code iss}, {@code sub} or {@code jti} (one that
     *                                       JwtGate verified has them whenever a store is configured, since
     *                                       {@code jwt.required-claims} must then list {@code sub} and {@code jti})
     * @throws UnsupportedOperationException with {@code revocation.store=none}, which revokes nothing, whatever
     *                                       claims the token has
     * @throws RevocationUnavailableException as {@link #revokeToken(TokenRef)} does
     */
    public RevocationResult revoke(JwtPrincipal token) {
        Objects.requireNonNull(token, "token"); // a null argument is NullPointerException, whatever the store
        // Before the identity check: with no store, a token without jti is valid, and the answer is "no store".
        requireStore("tokens cannot be revoked");
        return revokeToken(TokenRef.of(requireIdentified(token)));
    }

    private void requireStore(String what) {
        if (revokesNothing) {
            throw new UnsupportedOperationException("revocation.store=none: " + what);
        }
    }

    /**
     * Revokes one token by {@code iss}+{@code jti}, under its {@code sub} (all of a user's entries share a hash tag):
     * {@code token.subject()} must be the token's {@code sub} exactly, or the entry belongs to another user and the
     * token stays valid. The entry lives until the token would have
     * expired plus twice the clock skew (another server's clock may lag this one's by the skew), then the store
     * drops it.
     *
     * @param token the token's identity, with its {@code exp}
     * @return how durable the revocation is
     * @throws IllegalArgumentException when {@code token.expiresAt()} is null, or absurd (more than
     *                                  {@value #MAX_LIFETIME_YEARS} years ahead: milliseconds given as seconds), or its
     *                                  {@code issuer}, {@code subject} or {@code tokenId} is empty or blank
     * @throws UnsupportedOperationException with {@code revocation.store=none}, which revokes nothing
     * @throws RevocationUnconfirmedException when Redis stored it but refused the {@code WAIT} that confirms it on
     *                                        replicas: in force on every instance; no retry confirms it until the ACL
     *                                        allows {@code WAIT}
     * @throws RevocationUnavailableException otherwise when it is not known to be in force everywhere: not sent,
     *                                        Redis's answer late, or stored but not announced to the near-caches.
     *                                        Retry it (it is idempotent); until a call returns, it may not be in force
     */
    public RevocationResult revokeToken(TokenRef token) {
        // Refused before the audited call, as revoke(principal) and revokeUser(subject) are: a call that cannot revoke
        // anything writes no line, whichever method it came through.
        Objects.requireNonNull(token, "token");
        requireStore("tokens cannot be revoked");
        requireNamed(token);
        Duration ttl = remaining(token);
        return audited("token", token.subject(), token.issuer(), token.tokenId(), () -> store.revokeToken(token, ttl));
    }

    /**
     * Revokes every token of {@code subject} whose {@code iat} is at or before now by this server's clock; later
     * tokens are accepted. {@code iat} has whole seconds, so a token issued in the same second, even just after
     * this call, is refused too; and a token from an issuer whose clock runs ahead of this one is refused only if
     * issued that much earlier (docs/revocation.md, "Which clock decides").
     *
     * @param subject the user's {@code sub} claim, exactly
     * @return how durable the revocation is
     * @throws IllegalArgumentException      when {@code subject} is empty or blank
     * @throws UnsupportedOperationException with {@code revocation.store=none}, which revokes nothing
     * @throws RevocationUnavailableException as {@link #revokeToken(TokenRef)} does, except that a retry takes a new
     *                                        instant, so it also refuses the tokens issued since this call
     */
    public RevocationResult revokeUser(String subject) {
        Objects.requireNonNull(subject, "subject");
        requireStore("users cannot be revoked");
        requireNotBlank(subject, "subject");
        // A token issued at or before now is accepted until iat + max-age + skew + 1 s (jose4j compares whole
        // seconds), by a server whose clock may lag this one by the skew: the entry must outlive all of it.
        Instant now = clock.instant();
        return audited("user", subject, null, null,
                () -> store.revokeUser(subject, now, maxAge.plus(clockSkew).plus(clockSkew).plusSeconds(1)));
    }

    /**
     * Allowlist mode: makes a freshly issued token acceptable until it expires.
     *
     * @param token the token's identity, with its {@code exp}
     * @return how durable the registration is
     * @throws IllegalArgumentException as {@link #revokeToken(TokenRef)} does
     * @throws IllegalStateException    unless {@code revocation.mode=allowlist}
     * @throws RevocationUnavailableException when the store did not confirm the registration: retry it
     */
    public RevocationResult register(TokenRef token) {
        Objects.requireNonNull(token, "token"); // before the mode: a null argument is NullPointerException
        if (mode != RevocationSettings.Mode.ALLOWLIST) {
            throw new IllegalStateException("register() is for revocation.mode=allowlist");
        }
        return store.register(requireNamed(token), remaining(token));
    }

    /**
     * As {@link #register(TokenRef)}, for the token this principal came from.
     *
     * @param token the principal of the token to register
     * @return how durable the registration is
     * @throws IllegalArgumentException when the principal has no {@code iss}, {@code sub} or {@code jti}
     * @throws IllegalStateException    unless {@code revocation.mode=allowlist}
     */
    public RevocationResult register(JwtPrincipal token) {
        Objects.requireNonNull(token, "token");
        return register(TokenRef.of(requireIdentified(token)));
    }

    /**
     * Whether the token this principal came from is refused: revoked, its user revoked since it was issued, or in
     * allowlist mode not registered.
     *
     * @param token the principal of the token to check
     * @return {@code true} when the token must be refused
     * @throws RevocationUnavailableException when the store cannot answer in time
     * @throws IllegalArgumentException       when the principal has no {@code iss}, {@code sub} or {@code jti}: with
     *                                        {@code revocation.store=none}, whose {@code jwt.required-claims} need not
     *                                        list them, a verified token may lack them (and nothing is revoked there)
     */
    public boolean isRevoked(JwtPrincipal token) {
        Objects.requireNonNull(token, "token");
        return store.isRevoked(TokenRef.of(requireIdentified(token)));
    }

    /**
     * How entries decide.
     *
     * @return {@code revocation.mode}: denylist (entries refuse tokens) or allowlist (only registered tokens pass)
     */
    public RevocationSettings.Mode mode() {
        return mode;
    }

    /**
     * The store behind this service, for diagnostics ({@link RevocationStore#describe()},
     * {@link RevocationStore#isHealthy()}); write through this service, which computes lifetimes and audits.
     *
     * @return the store; never null
     */
    public RevocationStore store() {
        return store;
    }

    /**
     * Whether the store answers right now (for health endpoints); never throws.
     *
     * @return the store's {@link RevocationStore#isHealthy()}
     */
    public boolean isHealthy() {
        return store.isHealthy();
    }

    /**
     * What the revocation near-cache did so far, when this service runs one ({@code revocation.near-cache=true},
     * a Redis store, denylist mode); empty otherwise.
     *
     * @return the near-cache's figures, or empty
     */
    public Optional<NearCacheStats> nearCacheStats() {
        return store.nearCacheStats();
    }

    /**
     * Every revocation leaves one audit line: what, who, why, and whether it is durable (with {@code wait=refused}
     * when Redis refused to confirm it), or that it failed.
     */
    private RevocationResult audited(String kind, String subject, String issuer, String tokenId,
                                     java.util.function.Supplier<RevocationResult> revocation) {
        RevocationResult result;
        try {
            result = revocation.get();
        } catch (RevocationUnconfirmedException e) {
            // Stored and in force: audited as a revocation no replica confirmed, not as one that failed.
            AuditLog.info(auditSource, "revocation", "kind", kind, "sub", subject, "iss", issuer, "jti", tokenId, "actor", actor,
                    "reason", reason, "durable", "false", "replicas", "0/" + e.replicasRequired(), "wait", "refused");
            throw e;
        } catch (RuntimeException e) {
            AuditLog.warn(auditSource, "revocation-failed", "kind", kind, "sub", subject, "iss", issuer, "jti", tokenId,
                    "actor", actor, "reason", reason, "error", Log.className(e));
            throw e;
        }
        AuditLog.info(auditSource, "revocation", "kind", kind, "sub", subject, "iss", issuer, "jti", tokenId, "actor", actor,
                "reason", reason, "durable", Boolean.toString(result.durable()),
                "replicas", result.replicasConfirmed() + "/" + result.replicasRequired());
        return result;
    }

    /**
     * How long a token's entry must live: until every server has stopped accepting the token. A server accepts
     * it until {@code exp + skew} by its own clock, and this server's clock may be up to {@code skew} ahead of
     * it (the premise of {@code jwt.clock-skew-seconds}), hence twice the skew, as for a user's entry.
     */
    private Duration remaining(TokenRef token) {
        Instant expiresAt = token.expiresAt();
        if (expiresAt == null) {
            throw new IllegalArgumentException("revocation needs the token's exp: TokenRef.expiresAt is null");
        }
        Instant now = clock.instant();
        // Not bounded by jwt.max-age-seconds: the server that accepted the token may allow longer lifetimes, or
        // run a clock ahead of this one. Only an absurd exp (milliseconds for seconds, Instant.MAX, which would
        // overflow the store's millisecond TTL) is refused.
        Instant latest = now.atOffset(java.time.ZoneOffset.UTC).plusYears(MAX_LIFETIME_YEARS).toInstant();
        if (expiresAt.isAfter(latest)) {
            throw new IllegalArgumentException("TokenRef.expiresAt [" + expiresAt + "] is more than "
                    + MAX_LIFETIME_YEARS + " years ahead: expected a token's exp (epoch seconds, not milliseconds)");
        }
        Duration left = Duration.between(now, expiresAt).plus(clockSkew.multipliedBy(2));
        // An already-expired token still gets a short entry: harmless, and it keeps writes uniform.
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    /**
     * An empty or blank {@code iss}, {@code sub} or {@code jti} names no token JwtGate accepts (with a store,
     * {@code jwt.required-claims} lists {@code sub} and {@code jti}, which the verifier refuses blank, and {@code iss}
     * must be {@code jwt.issuer}): an entry under it would refuse nothing while the caller is told it is in force.
     */
    private static TokenRef requireNamed(TokenRef token) {
        requireNotBlank(token.issuer(), "TokenRef.issuer");
        requireNotBlank(token.subject(), "TokenRef.subject");
        requireNotBlank(token.tokenId(), "TokenRef.tokenId");
        return token;
    }

    private static void requireNotBlank(String value, String name) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("revocation needs a " + name + ": it is empty or blank, which no token"
                    + " JwtGate accepts has, so nothing would be refused");
        }
    }

    private static JwtPrincipal requireIdentified(JwtPrincipal token) {
        if (token.tokenId() == null || token.subject() == null || token.issuer() == null) {
            throw new IllegalArgumentException("revocation needs the token's iss, sub and jti");
        }
        return token;
    }
}
