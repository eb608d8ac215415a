package org.jwtgate.sample.token;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationUnconfirmedException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.sample.account.Account;
import org.jwtgate.sample.account.AccountStore;
import org.jwtgate.sample.redis.SampleKeys;
import org.jwtgate.sample.redis.SampleRedis;
import org.jwtgate.sample.redis.SampleUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a session: login issues an access token and starts a refresh family; refresh
 * rotates; logout and administrators end sessions through JwtGate's revocation API (injected by
 * CDI) and the refresh families. A revocation counts as done only when every write is durable
 * ({@link RevocationResult#durable()}); writes are idempotent, so a non-durable one is retried.
 */
@Singleton
public class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    /** Attempts at a durable revocation before answering 503 (each waits up to revocation.replica-timeout-ms). */
    private static final int DURABILITY_ATTEMPTS = 3;
    /** The longest a "revoke user" is expected to run (its attempts, each a Redis budget and a replica wait). */
    private static final long REVOCATION_UNDER_WAY_MILLIS = 10_000;
    /** An ended revocation's instant no login waits for any more: its next second is past, on any clock near this one. */
    private static final long FORGOTTEN_AFTER_MILLIS = 5_000;
    /** Sets one revocation's instant, forgets those ended long ago, and keeps the rest as long as the latest write. */
    private static final String REMEMBER_REVOCATION = "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
            + "local all = redis.call('HGETALL', KEYS[1]) "
            + "for i = 1, #all, 2 do "
            + "  if tonumber(all[i + 1]) < tonumber(ARGV[4]) then redis.call('HDEL', KEYS[1], all[i]) end "
            + "end "
            + "redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 1";
    /** The audit trail's actor of the revocations the sample makes by itself when a refresh meets an ended session. */
    private static final String REFRESH_ACTOR = "sample:refresh";
    /** The audit reason of an access token a refresh retired, its family holding too many (RefreshTokens). */
    static final String SUPERSEDED = "superseded-by-refresh";

    private final AccessTokenIssuer issuer;
    private final RefreshTokens refreshTokens;
    private final AccountStore accounts;
    private final Provider<RevocationService> revocation;
    private final SampleRedis redis;
    private final String tokenIssuer;

    @Inject
    public Sessions(AccessTokenIssuer issuer, RefreshTokens refreshTokens, AccountStore accounts,
                    Provider<RevocationService> revocation, SampleRedis redis, JwtGateConfig config) {
        this.issuer = issuer;
        this.refreshTokens = refreshTokens;
        this.accounts = accounts;
        this.revocation = revocation;
        this.redis = redis;
        this.tokenIssuer = config.verification().issuer();
    }

    /** What the client receives after login or refresh. */
    public record TokenPair(IssuedAccessToken access, RefreshTokens.Issued refresh) {
    }

    /** What presenting a refresh token led to. */
    public sealed interface RefreshOutcome permits Refreshed, ReuseDetected, ReuseBeingRevoked, RefreshRefused {
    }

    public record Refreshed(TokenPair pair) implements RefreshOutcome {
    }

    /** An already-rotated token came back: the family and its access tokens are revoked. */
    public record ReuseDetected(String subject) implements RefreshOutcome {
    }

    /**
     * An already-rotated token came back while another request revokes its family's access tokens: to be sent again
     * (503), so that, should that request never finish, the one that comes after its lease does it.
     */
    public record ReuseBeingRevoked(String subject) implements RefreshOutcome {
    }

    public record RefreshRefused() implements RefreshOutcome {
    }

    /**
     * @param dpopThumbprint the key of the login request's DPoP proof: tokens bound to it; null for bearer tokens
     * @return the tokens, or empty when the user's sessions were ended (revoked) while this one started
     */
    public Optional<TokenPair> login(Account account, String dpopThumbprint) {
        waitPastRevocation(account.username()); // a revocation under way would end the family started now
        RefreshTokens.Issued refresh = refreshTokens.startFamily(account.username(), dpopThumbprint);
        // Again: a revocation begun since the first wait ends the family just started, once it ends.
        waitPastRevocation(account.username());
        return issueAccess(account, refresh.familyId(), dpopThumbprint).map(access -> new TokenPair(access, refresh));
    }

    /** The user a refresh token's family belongs to, or null when unknown. */
    public String refreshTokenOwner(String refreshToken) {
        return refreshTokens.owner(refreshToken);
    }

    /**
     * @param dpopThumbprint the key that signed the request's DPoP proof (null without one): a bound family
     *                       rotates only for that key, and its new access token is bound to it
     */
    public RefreshOutcome refresh(String refreshToken, String dpopThumbprint) {
        // The user's keys (account, revocation instant) may live on another shard than the family: read them before
        // rotating. Failing after the rotation, the 503 would leave the client only the rotated token, and its retry
        // would be taken for a reuse, ending the session. So the new access token is signed first, and recorded with
        // the family by the rotation itself: after it, nothing is left to fail.
        String owner = refreshTokens.owner(refreshToken);
        if (owner == null) {
            return new RefreshRefused();
        }
        Optional<Account> account = accounts.account(owner);
        waitPastRevocation(owner);
        IssuedAccessToken access = account.map(a -> issuer.issue(a, refreshTokens.familyOf(refreshToken), dpopThumbprint))
                .orElse(null);
        RefreshTokens.Rotation rotation = refreshTokens.rotate(refreshToken, dpopThumbprint, access);
        if (rotation instanceof RefreshTokens.Backlogged backlogged) {
            // Nothing rotated: the tokens past the limit are revoked here, where a failure answers 503 with the
            // client's token still current.
            revokeSuperseded(backlogged.familyId(), backlogged.subject(), backlogged.superseded());
            rotation = refreshTokens.rotate(refreshToken, dpopThumbprint, access);
            if (rotation instanceof RefreshTokens.Backlogged) {
                throw new SampleUnavailableException("Superseded access tokens of family " + backlogged.familyId()
                        + " are still being revoked", null);
            }
        }
        if (rotation instanceof RefreshTokens.Rotated rotated) {
            if (access == null) {
                endFamily(rotated.next().familyId(), rotated.subject(), null, REFRESH_ACTOR, "account-removed");
                return new RefreshRefused();
            }
            retire(rotated.next().familyId(), rotated.subject(), rotated.superseded());
            // Bound as the family is: it rotated only for the key that signed this request's proof.
            return new Refreshed(new TokenPair(access, rotated.next()));
        }
        if (rotation instanceof RefreshTokens.Reused reused) {
            // RFC 9700 §4.14.2: one of the two holders is an attacker, and we cannot tell which.
            // Until its access tokens are revoked durably, every token of the family presented comes here again: a
            // revocation that failed (503) or was not durable is retried by whoever sends one next. One at a time:
            // each revoking the whole family anew, a burst of them held every request thread (ReuseUnderWay).
            LOG.warn("Refresh token reuse for sub={} family={}: family revoked", reused.subject(), reused.familyId());
            Written written;
            try {
                written = endFamily(reused.familyId(), reused.subject(), null, REFRESH_ACTOR, "refresh-token-reuse");
            } catch (RuntimeException e) {
                throw afterFailure(e, () -> refreshTokens.reuseHandled(reused, false));
            }
            try {
                // Done unless a retry may confirm a write: without WAIT, none will, and each retry revoked them all.
                refreshTokens.reuseHandled(reused, written != Written.SHORT);
            } catch (RuntimeException e) {
                // The tokens are revoked: the lease runs out, and the next token sent revokes them once more.
                LOG.warn("Could not end the reuse's revocation of family={}: {}", reused.familyId(), e.toString());
            }
            return new ReuseDetected(reused.subject());
        }
        if (rotation instanceof RefreshTokens.ReuseUnderWay reuse) {
            LOG.debug("Refresh token reuse for sub={} family={}: revocation under way", reuse.subject(), reuse.familyId());
            return new ReuseBeingRevoked(reuse.subject());
        }
        return new RefreshRefused();
    }

    /**
     * After a rotation, revokes the access tokens it superseded (its family's oldest past the limit). The refresh has
     * rotated, so it answers with its pair whatever happens here: a token whose revocation failed stays recorded, and
     * the next refresh, or the session's end, revokes it.
     */
    private void retire(String familyId, String subject, List<RefreshTokens.AccessRecord> superseded) {
        if (superseded.isEmpty()) {
            return;
        }
        try {
            revokeSuperseded(familyId, subject, superseded);
        } catch (RuntimeException e) {
            LOG.warn("Could not revoke superseded access tokens of sub={} family={}, kept for the next refresh: {}",
                    subject, familyId, e.toString());
        }
    }

    /**
     * Revokes superseded access tokens and forgets each once in force, durable or not ({@link #durably} has retried
     * it and warned): kept, a revocation that stays short of its replicas (or Redis refusing WAIT) grew the family
     * again. Throws as a revocation does, the ones before forgotten.
     */
    private void revokeSuperseded(String familyId, String subject, List<RefreshTokens.AccessRecord> superseded) {
        List<RefreshTokens.AccessRecord> inForce = new ArrayList<>();
        try {
            for (RefreshTokens.AccessRecord access : superseded) {
                revokeAccessToken(access, subject, REFRESH_ACTOR, SUPERSEDED);
                inForce.add(access);
            }
        } catch (RuntimeException e) {
            throw afterFailure(e, () -> refreshTokens.forget(familyId, inForce));
        }
        refreshTokens.forget(familyId, inForce);
    }

    /** Runs {@code cleanup} after a step failed with {@code failure}, which it returns: cleanup's own failure suppressed. */
    private static RuntimeException afterFailure(RuntimeException failure, Runnable cleanup) {
        try {
            cleanup.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Ends the caller's session: the presented access token, the other access tokens of its
     * refresh family, and the family. With {@code everywhere}, every token of the user.
     *
     * @return true when every revocation is durable
     */
    public boolean logout(JwtPrincipal caller, boolean everywhere) {
        // The presented token last: should a step before it fail (503), that token still authenticates the retry the
        // 503 asks for. Revoked first, the retry was refused (401) while refresh families lived on. (Revoking the user
        // refuses it too, but only after every family has ended.)
        List<Boolean> durable = new ArrayList<>();
        String reason = everywhere ? "log out everywhere" : "logout";
        if (everywhere) {
            durable.add(revokeUser(caller.subject(), caller.subject(), reason, true));
        }
        Object sessionId = caller.claim(AccessTokenIssuer.SESSION_CLAIM);
        if (sessionId instanceof String familyId) {
            durable.add(endFamily(familyId, caller.subject(), caller.tokenId(), caller.subject(), reason) == Written.DURABLE);
        }
        durable.add(durably(() -> revocation.get().by(caller.subject(), reason).revoke(caller)) == Written.DURABLE);
        return !durable.contains(false);
    }

    /**
     * Every token of {@code subject} issued until now is refused, and every refresh family ends. The
     * revocation's audit line names {@code actor} and {@code reason}.
     *
     * @return true when the revocation is durable
     */
    public boolean revokeUser(String subject, String actor, String reason) {
        // Another's sessions (an administrator's): the tokens first, refused at once even should ending a refresh
        // family then fail (503); the administrator's own token authenticates the retry.
        return revokeUser(subject, actor, reason, false);
    }

    /**
     * @param familiesFirst end the refresh families before refusing the tokens: for the user's own "log out
     *                      everywhere", whose token must still authenticate the retry should ending a family fail
     *                      (503). The other way round, that retry was refused while the families left could renew
     *                      their sessions.
     */
    private boolean revokeUser(String subject, String actor, String reason, boolean familiesFirst) {
        // While it runs, a login waits: each of durably's attempts is a new revokeUser with a new instant, which
        // may fall in the second of a token a login issued meanwhile. Once it ends, its last instant is remembered.
        // A login starts its refresh family once it ends (else the families' revocation would end it too).
        String revocationId = UUID.randomUUID().toString();
        rememberRevocation(subject, revocationId, System.currentTimeMillis() + REVOCATION_UNDER_WAY_MILLIS);
        boolean durable;
        try {
            if (familiesFirst) {
                refreshTokens.revokeAllFamilies(subject);
            }
            long began = System.currentTimeMillis(); // at or before the revocation's instant: the same clock
            durable = durably(() -> revocation.get().by(actor, reason).revokeUser(subject)) == Written.DURABLE;
            if (!familiesFirst) {
                // A refresh that found no revocation under way may have signed a token since, in a second after the
                // instant (iat has whole seconds), which revoking the user does not refuse: such tokens one by one.
                List<RefreshTokens.AccessRecord> issuedSince = refreshTokens.revokeAllFamilies(subject).stream()
                        .filter(access -> access.issuedAt().toEpochMilli() > began).toList();
                durable &= revokeAccessTokens(issuedSince, subject, null, actor, reason) == Written.DURABLE;
            }
        } finally {
            rememberRevocation(subject, revocationId, System.currentTimeMillis());
        }
        return durable;
    }

    /**
     * Revokes a family and every access token it issued but {@code spared} (the caller's, which logout revokes last;
     * null: none), each audited with {@code actor} and {@code reason}; how durable all of it is.
     */
    private Written endFamily(String familyId, String subject, String spared, String actor, String reason) {
        return revokeAccessTokens(refreshTokens.revokeFamily(familyId, subject), subject, spared, actor, reason);
    }

    /** Revokes each of {@code issued} but {@code spared} (null: none); how durable all of it is. */
    private Written revokeAccessTokens(List<RefreshTokens.AccessRecord> issued, String subject, String spared,
                                       String actor, String reason) {
        Written written = Written.DURABLE;
        for (RefreshTokens.AccessRecord access : issued) {
            if (access.tokenId().equals(spared)) {
                continue;
            }
            written = written.and(revokeAccessToken(access, subject, actor, reason));
        }
        return written;
    }

    /** Revokes one access token a family recorded, audited with {@code actor} and {@code reason}; how durably. */
    private Written revokeAccessToken(RefreshTokens.AccessRecord access, String subject, String actor, String reason) {
        TokenRef ref = new TokenRef(tokenIssuer, subject, access.tokenId(), access.issuedAt(), access.expiresAt());
        return durably(() -> revocation.get().by(actor, reason).revokeToken(ref));
    }

    /** How revocation writes ended, all in force: what a retry could still change. */
    private enum Written {
        DURABLE,
        /** Redis refuses the WAIT that would confirm it (the ACL lacks {@code +wait}): no retry will. */
        UNCONFIRMABLE,
        /** Short of its replicas: a retry may confirm it. */
        SHORT;

        /** Of several writes: short if one is, durable if all are. */
        Written and(Written other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    /**
     * A login's access token, or empty when its family ended meanwhile: an administrator or the user's "log out
     * everywhere" ended it after this login started it, and revoked the tokens recorded by then.
     * This one was not, so it is never handed out (and, never sent, needs no revocation). The caller has waited past
     * the user's revocation ({@link #waitPastRevocation}), so the token is not born revoked.
     */
    private Optional<IssuedAccessToken> issueAccess(Account account, String familyId, String dpopThumbprint) {
        IssuedAccessToken access = issuer.issue(account, familyId, dpopThumbprint);
        if (refreshTokens.recordAccessToken(familyId, access)) {
            return Optional.of(access);
        }
        LOG.info("Session ended while a token was issued for sub={} family={}: token withheld", account.username(), familyId);
        return Optional.empty();
    }

    /**
     * The write, retried until durable (at most {@link #DURABILITY_ATTEMPTS} times); how it ended. A write Redis
     * stored but whose WAIT it refused ({@link RevocationUnconfirmedException}: the ACL lacks {@code +wait}) is in
     * force and not durable, and no retry would confirm it: answered at once, so the caller's other writes (the
     * refresh families) still run.
     */
    private static Written durably(Supplier<RevocationResult> write) {
        RevocationResult result;
        try {
            result = write.get();
        } catch (RevocationUnconfirmedException e) {
            LOG.warn("Revocation in force but not durable: {}; allow WAIT (+wait) to redis.user", e.getMessage());
            return Written.UNCONFIRMABLE;
        }
        for (int attempt = 2; !result.durable() && attempt <= DURABILITY_ATTEMPTS; attempt++) {
            result = write.get();
        }
        if (!result.durable()) {
            LOG.warn("Revocation not durable after {} attempts: {} of {} replicas confirmed", DURABILITY_ATTEMPTS,
                    result.replicasConfirmed(), result.replicasRequired());
        }
        return result.durable() ? Written.DURABLE : Written.SHORT;
    }

    /**
     * JwtGate refuses a user's tokens issued at or before the revocation instant, and {@code iat}
     * has whole seconds: a token issued in the same second as a "revoke user" would be born
     * revoked. The instant is remembered briefly so a new login waits for the next second. Each
     * revocation keeps its own: one ending must not cut short the time of another still running.
     */
    private void rememberRevocation(String subject, String revocationId, long instantMillis) {
        long now = System.currentTimeMillis();
        redis.call("remembering a revocation", r -> r.eval(REMEMBER_REVOCATION, List.of(SampleKeys.userRevocations(subject)),
                List.of(revocationId, Long.toString(instantMillis), Long.toString(REVOCATION_UNDER_WAY_MILLIS + 5_000),
                        Long.toString(now - FORGOTTEN_AFTER_MILLIS))));
    }

    /**
     * Waits for the second after the latest remembered instant, reading them again meanwhile: while a revocation
     * runs, its instant is the end of its time (see {@link #revokeUser}), and once it ends, its last instant.
     */
    private void waitPastRevocation(String subject) {
        long giveUpAt = System.currentTimeMillis() + REVOCATION_UNDER_WAY_MILLIS + 1_000;
        while (true) {
            List<String> instants = redis.call("reading revocation instants", r -> r.hvals(SampleKeys.userRevocations(subject)));
            if (instants.isEmpty()) {
                return;
            }
            long revokedAt = instants.stream().mapToLong(Long::parseLong).max().getAsLong();
            long firstSafeMillis = (revokedAt / 1000 + 1) * 1000;
            long now = System.currentTimeMillis();
            if (firstSafeMillis <= now || now >= giveUpAt) {
                return;
            }
            try {
                Thread.sleep(Math.min(firstSafeMillis - now, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
