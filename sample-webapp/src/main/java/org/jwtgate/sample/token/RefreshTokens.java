package org.jwtgate.sample.token;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.sample.redis.SampleKeys;
import org.jwtgate.sample.redis.SampleRedis;
import org.jwtgate.sample.redis.SampleUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Refresh tokens, rotated on every use (RFC 9700 §4.14). A token is {@code <family id>.<secret>},
 * both random; Redis keeps only its SHA-256, in the family's record. Using the current token
 * replaces it; presenting one that was already rotated away means two parties hold the family,
 * so the whole family is revoked. A family lives {@code SAMPLE_REFRESH_TOKEN_SECONDS} from login
 * (rotation does not extend it). Each family also records the access tokens it issued, so ending
 * the session can revoke them too: at most {@value #ACCESS_TOKENS_PER_FAMILY} a server may still accept, a refresh
 * past that handing back the oldest for the caller to revoke, so that ending a session costs a bounded number of
 * revocations however often it was refreshed. The family of a DPoP client is bound to its key (the key's
 * thumbprint, {@code jkt}): it rotates only for a request whose DPoP proof that key signed, and its
 * access tokens are bound to the same key (RFC 9449 §5).
 */
@Singleton
public class RefreshTokens {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokens.class);

    /**
     * How long after its expiry a token may still be accepted somewhere: a server accepts it until exp plus the clock
     * skew, and its clock may lag this one's by the skew; twice the largest {@code jwt.clock-skew-seconds} (300).
     */
    private static final Duration ACCEPTED_AFTER_EXPIRY = Duration.ofSeconds(2 * 300);
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{22})\\.[A-Za-z0-9_-]{43}");
    /**
     * The access tokens a family keeps: ending it revokes each, one write and one settle time
     * ({@code revocation.max-staleness-ms}) apiece. Unbounded, a refresh loop made a logout take minutes.
     */
    public static final int ACCESS_TOKENS_PER_FAMILY = 16;
    /**
     * How long one request owns the revocation of a reused family's access tokens: the others presenting its tokens
     * meanwhile are answered 503 without revoking them again. Released when it ends; runs out first only should its
     * server die or its revocations take longer (then the next request presenting a token takes over).
     */
    private static final Duration REUSE_LEASE = Duration.ofSeconds(60);

    private static final String START = "redis.call('HSET', KEYS[1], 'sub', ARGV[1], 'current', ARGV[2], 'jkt', ARGV[4]) "
            + "redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 1";
    /**
     * Lua: keeps an access token ({@code jti} to {@code iat:exp:recorded}, the last in epoch ms) with its family, for
     * as long as the family lives ({@code ttl}, ms; none: 0 or less) and the access token after it, so that ending
     * the family finds it. Before keeping one, a caller drops the tokens that expired before {@code expiredBefore}
     * (epoch s): no server accepts them, and kept, every refresh grew the list that ending the session revokes one by
     * one.
     */
    private static final String KEEP_ACCESS = "local function dropExpired(key, expiredBefore) "
            + "  local kept = redis.call('HGETALL', key) "
            + "  for i = 1, #kept, 2 do "
            + "    local exp = tonumber(string.match(kept[i + 1], '^%d+:(%d+)')) "
            + "    if exp and exp < tonumber(expiredBefore) then redis.call('HDEL', key, kept[i]) end "
            + "  end "
            + "end "
            + "local function keepAccess(key, jti, record, ttl, lifetime) "
            + "  redis.call('HSET', key, jti, record) "
            + "  if ttl > 0 then redis.call('PEXPIRE', key, ttl + tonumber(lifetime)) "
            + "  else redis.call('PEXPIRE', key, lifetime) end "
            + "end "
            // The records past the newest 'limit', oldest recorded first (same-second tokens tie on iat), never 'spared'
            // (the token just recorded): {jti, iat:exp:recorded, ...}.
            + "local function beyondLimit(key, limit, spared) "
            + "  local kept = redis.call('HGETALL', key) "
            + "  local excess = #kept / 2 - tonumber(limit) "
            + "  if excess <= 0 then return {} end "
            + "  local records = {} "
            + "  for i = 1, #kept, 2 do "
            + "    if kept[i] ~= spared then "
            + "      local iat, recorded = string.match(kept[i + 1], '^(%d+):%d+:?(%d*)$') "
            + "      table.insert(records, {kept[i], kept[i + 1], tonumber(recorded) or (tonumber(iat) or 0) * 1000}) "
            + "    end "
            + "  end "
            + "  table.sort(records, function(a, b) if a[3] ~= b[3] then return a[3] < b[3] end return a[1] < b[1] end) "
            + "  local oldest = {} "
            + "  for i = 1, math.min(excess, #records) do "
            + "    table.insert(oldest, records[i][1]) table.insert(oldest, records[i][2]) "
            + "  end "
            + "  return oldest "
            + "end ";
    /**
     * ARGV[3] is the thumbprint of the key that signed the request's DPoP proof ('' without one): a bound
     * family rotates only for its own key, and a bearer family only without a key — otherwise nothing changes.
     * A reuse marks the family revoked and its access tokens pending until {@link #reuseHandled}: any token of the
     * family presented meanwhile (its current token or a rotated one) is answered 'reused' again, so that revoking
     * them, should it have failed, is done then — by one request at a time: the one answered 'reused' owns it
     * (ARGV[2], random per call, names it; the same call sent again is still the owner) until it ends or its lease
     * (ARGV[9] ms, by Redis's clock) runs out; the others are answered 'reuse-under-way'.
     * A rotation records the access token issued with it (ARGV[4] its jti, ARGV[5] iat:exp:recorded, ARGV[6] the
     * access lifetime, ARGV[7] the expiry before which recorded tokens are dropped; no jti: none) in the same script,
     * and answers the records past ARGV[8] (the oldest), for the caller to revoke: a failure between two calls would
     * answer 503 with the rotation done, and the client's retry with the same token would be taken for a reuse. Should
     * those revocations keep failing, the family holds twice ARGV[8]: it rotates no more ('backlogged', with the
     * records past ARGV[8]) until the caller has revoked them, so ending it never costs more.
     */
    static final String ROTATE = KEEP_ACCESS
            + "local f = redis.call('HMGET', KEYS[1], 'sub', 'current', 'revoked', 'jkt', 'access-pending', 'revoking-until', "
            + "  'revoking-owner') "
            + "if not f[1] then return {'invalid'} end "
            // First: without the family's key a request changes nothing, nor learns anything but 'refused'.
            + "if (f[4] or '') ~= ARGV[3] then return {'unbound'} end "
            + "local time = redis.call('TIME') "
            + "local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) "
            + "local function reused() "
            + "  redis.call('HSET', KEYS[1], 'revoking-until', now + tonumber(ARGV[9]), 'revoking-owner', ARGV[2]) "
            + "  return {'reused', f[1]} "
            + "end "
            + "if f[3] == '1' and f[5] == '1' then "
            // Only the family's own tokens: its id alone (an access token's sid) made a token that revoked them all.
            + "  if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return {'invalid'} end "
            + "  if f[7] == ARGV[2] then return {'reused', f[1]} end " // this very call again, after a lost reply
            + "  if tonumber(f[6] or '0') > now then return {'reuse-under-way', f[1]} end "
            + "  return reused() "
            + "end "
            + "if f[3] == '1' then return {'revoked', f[1]} end "
            + "local ttl = redis.call('PTTL', KEYS[1]) "
            + "local function recorded() "
            + "  local oldest = {} "
            + "  if ARGV[4] ~= '' then "
            + "    keepAccess(KEYS[3], ARGV[4], ARGV[5], ttl, ARGV[6]) "
            + "    oldest = beyondLimit(KEYS[3], ARGV[8], ARGV[4]) "
            + "  end "
            + "  return {'rotated', f[1], ttl, f[4] or '', oldest} "
            + "end "
            // ARGV[2] is the successor's hash, random per call: finding it current means this very rotation already
            // ran, and the client is retrying a lost reply (not a reuse).
            + "if f[2] == ARGV[2] or f[2] == ARGV[1] then dropExpired(KEYS[3], ARGV[7]) end "
            + "if f[2] == ARGV[2] then return recorded() end "
            + "if f[2] == ARGV[1] then "
            + "  if redis.call('HLEN', KEYS[3]) >= 2 * tonumber(ARGV[8]) then "
            + "    return {'backlogged', f[1], beyondLimit(KEYS[3], ARGV[8], '')} "
            + "  end "
            + "  redis.call('HSET', KEYS[1], 'current', ARGV[2]) "
            + "  redis.call('SADD', KEYS[2], ARGV[1]) "
            + "  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end "
            + "  return recorded() "
            + "end "
            + "if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then "
            + "  redis.call('HSET', KEYS[1], 'revoked', '1', 'access-pending', '1') "
            + "  if f[2] then redis.call('SADD', KEYS[2], f[2]) end " // the current token too is the family's
            + "  redis.call('HDEL', KEYS[1], 'current') "
            + "  return reused() "
            + "end "
            + "return {'invalid'}";
    /** Ends a reuse's revocation if ARGV[1] still owns it; with ARGV[2] = '1', its access tokens need no more. */
    private static final String REUSE_HANDLED = "if redis.call('HGET', KEYS[1], 'revoking-owner') ~= ARGV[1] then return 0 end "
            + "redis.call('HDEL', KEYS[1], 'revoking-until', 'revoking-owner') "
            + "if ARGV[2] == '1' then redis.call('HDEL', KEYS[1], 'access-pending') end "
            + "return 1";
    /**
     * Records an access token with its family, unless the family has ended (or expired) meanwhile: ending it
     * revoked only the tokens recorded by then, so the caller must not hand this one out (answer 0).
     */
    private static final String RECORD_ACCESS = KEEP_ACCESS
            + "local f = redis.call('HMGET', KEYS[2], 'sub', 'revoked') "
            + "if not f[1] or f[2] == '1' then return 0 end "
            + "dropExpired(KEYS[1], ARGV[4]) "
            + "keepAccess(KEYS[1], ARGV[1], ARGV[2], redis.call('PTTL', KEYS[2]), ARGV[3]) return 1";
    /** Marks the family revoked (if it still exists and is the subject's) and returns its access tokens. */
    private static final String REVOKE = "local sub = redis.call('HGET', KEYS[1], 'sub') "
            + "if sub and sub ~= ARGV[1] then return {} end "
            + "if sub then redis.call('HSET', KEYS[1], 'revoked', '1') redis.call('HDEL', KEYS[1], 'current') end "
            + "return redis.call('HGETALL', KEYS[2])";

    private final SampleRedis redis;
    private final Duration lifetime;
    private final Duration accessLifetime;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    /** Replicas that must confirm a family's end ({@code revocation.min-replicas} in effect); 0: none. */
    private final int minReplicas;
    /** How long that {@code WAIT} may take, within the client's socket timeout. */
    private final long replicaTimeoutMs;

    /**
     * A family ends as durably as JwtGate's revocations: confirmed by {@code revocation.min-replicas} replicas, within
     * {@code revocation.replica-timeout-ms}. Unconfirmed, a failover of its shard brought an ended family back, and
     * the refresh token of a session logged out (204) renewed it.
     */
    @Inject
    public RefreshTokens(SampleRedis redis, SampleSettings settings, JwtGateConfig config) {
        this(redis, settings, Clock.systemUTC(), config.revocation().minReplicas(),
                Math.min(config.revocation().replicaTimeoutMs(), redis.clientConfig().getSocketTimeoutMillis() / 2));
    }

    /** Without waiting for replicas (tests). */
    RefreshTokens(SampleRedis redis, SampleSettings settings) {
        this(redis, settings, Clock.systemUTC());
    }

    /** As above, reading the time from {@code clock} (tests). */
    RefreshTokens(SampleRedis redis, SampleSettings settings, Clock clock) {
        this(redis, settings, clock, 0, 0);
    }

    private RefreshTokens(SampleRedis redis, SampleSettings settings, Clock clock, int minReplicas, long replicaTimeoutMs) {
        this.redis = redis;
        this.lifetime = settings.refreshTokenLifetime();
        this.accessLifetime = settings.accessTokenLifetime();
        this.clock = clock;
        this.minReplicas = minReplicas;
        this.replicaTimeoutMs = replicaTimeoutMs;
    }

    /**
     * A refresh token handed out, how long its family has left, and the DPoP key it is bound to (null:
     * none). {@link #toString()} hides the token.
     */
    public record Issued(String token, String familyId, Duration remaining, String dpopThumbprint) {
        @Override
        public String toString() {
            return "RefreshToken[family=" + familyId + ", remaining=" + remaining + (dpopThumbprint != null ? ", jkt=" + dpopThumbprint : "") + "]";
        }
    }

    /** What presenting a refresh token led to. */
    public sealed interface Rotation permits Rotated, Backlogged, Reused, ReuseUnderWay, Refused {
    }

    /**
     * The token was current: here is its successor; {@code superseded}: the family's oldest access tokens past
     * {@value #ACCESS_TOKENS_PER_FAMILY}, for the caller to revoke, then {@link #forget}.
     */
    public record Rotated(Issued next, String subject, List<AccessRecord> superseded) implements Rotation {
    }

    /**
     * The token is current, and nothing rotated: the family holds twice {@value #ACCESS_TOKENS_PER_FAMILY} access
     * tokens, superseded ones whose revocation failed. The caller revokes {@code superseded} (the oldest past the
     * limit), {@link #forget}s them, and may rotate again.
     */
    public record Backlogged(String familyId, String subject, List<AccessRecord> superseded) implements Rotation {
    }

    /**
     * The token had been rotated away already, or its family was revoked so and its access tokens are not yet: the
     * family is revoked; the caller revokes its access tokens, then calls {@link #reuseHandled} with {@code owner},
     * whatever happened.
     */
    public record Reused(String familyId, String subject, String owner) implements Rotation {
    }

    /** As {@link Reused}, while another request revokes the family's access tokens: nothing to do but wait. */
    public record ReuseUnderWay(String familyId, String subject) implements Rotation {
    }

    /** Unknown, malformed, expired, of a revoked family, or presented without the family's DPoP key. */
    public record Refused() implements Rotation {
    }

    /** An access token a family issued, as revocation needs it. */
    public record AccessRecord(String tokenId, Instant issuedAt, Instant expiresAt) {
    }

    /** Starts a family for a fresh login; {@code dpopThumbprint}: the DPoP key it is bound to, or null for a bearer client. */
    public Issued startFamily(String subject, String dpopThumbprint) {
        String familyId = randomText(16);
        String token = familyId + "." + randomText(32);
        redis.call("starting a refresh family", r -> r.eval(START, List.of(SampleKeys.family(familyId)),
                List.of(subject, hash(token), Long.toString(lifetime.toMillis()), dpopThumbprint == null ? "" : dpopThumbprint)));
        redis.call("indexing a refresh family", r -> {
            String key = SampleKeys.userFamilies(subject);
            r.sadd(key, familyId);
            r.pexpire(key, lifetime.toMillis());
            return null;
        });
        return new Issued(token, familyId, lifetime, dpopThumbprint);
    }

    /** The user of the family a refresh token belongs to (to place a DPoP proof's one-time record), or null. */
    public String owner(String presented) {
        String familyId = familyOf(presented);
        if (familyId == null) {
            return null;
        }
        return redis.call("reading a refresh family", r -> r.hget(SampleKeys.family(familyId), "sub"));
    }

    /** The family a refresh token names, or null when it is no refresh token. */
    public String familyOf(String presented) {
        var matcher = presented == null ? null : TOKEN.matcher(presented);
        return matcher == null || !matcher.matches() ? null : matcher.group(1);
    }

    /**
     * @param dpopThumbprint the key that signed the request's DPoP proof, or null without a proof
     * @param access         the access token to record with the family should it rotate, or null for none
     */
    public Rotation rotate(String presented, String dpopThumbprint, IssuedAccessToken access) {
        String familyId = familyOf(presented);
        if (familyId == null) {
            return new Refused();
        }
        String next = familyId + "." + randomText(32);
        String nextHash = hash(next);
        List<?> reply = redis.call("rotating a refresh token", r -> (List<?>) r.eval(ROTATE,
                List.of(SampleKeys.family(familyId), SampleKeys.familyRotated(familyId),
                        SampleKeys.familyAccessTokens(familyId)),
                List.of(hash(presented), nextHash, dpopThumbprint == null ? "" : dpopThumbprint,
                        access == null ? "" : access.tokenId(), access == null ? "" : accessRecord(access),
                        Long.toString(accessLifetime.toMillis()), expiredBefore(),
                        Integer.toString(ACCESS_TOKENS_PER_FAMILY), Long.toString(REUSE_LEASE.toMillis()))));
        return switch (text(reply.get(0))) {
            case "rotated" -> new Rotated(new Issued(next, familyId,
                    Duration.ofMillis(Math.max(1000, ((Number) reply.get(2)).longValue())), emptyToNull(text(reply.get(3)))),
                    text(reply.get(1)), records((List<?>) reply.get(4)));
            case "backlogged" -> new Backlogged(familyId, text(reply.get(1)), records((List<?>) reply.get(2)));
            case "reused" -> new Reused(familyId, text(reply.get(1)), nextHash);
            case "reuse-under-way" -> new ReuseUnderWay(familyId, text(reply.get(1)));
            default -> new Refused();
        };
    }

    /** @return false when the family has ended (or expired) meanwhile: nothing recorded, withhold the token */
    public boolean recordAccessToken(String familyId, IssuedAccessToken token) {
        Object recorded = redis.call("recording an access token", r -> r.eval(RECORD_ACCESS,
                List.of(SampleKeys.familyAccessTokens(familyId), SampleKeys.family(familyId)),
                List.of(token.tokenId(), accessRecord(token), Long.toString(accessLifetime.toMillis()),
                        expiredBefore())));
        return recorded instanceof Number n && n.longValue() == 1;
    }

    /** The expiry (epoch s) before which a recorded access token no server accepts any more: dropped. */
    private String expiredBefore() {
        return Long.toString(clock.instant().minus(ACCEPTED_AFTER_EXPIRY).getEpochSecond());
    }

    /**
     * An access token as its family keeps it: {@code iat:exp} in epoch seconds, then when it was recorded, in epoch ms
     * (which of two same-second tokens is older).
     */
    private String accessRecord(IssuedAccessToken token) {
        return token.issuedAt().getEpochSecond() + ":" + token.expiresAt().getEpochSecond() + ":" + clock.millis();
    }

    /**
     * Revokes a family of {@code subject}; returns the access tokens it issued (for the caller to revoke). The end is
     * confirmed by {@code revocation.min-replicas} replicas ({@code WAIT} on the connection that wrote it: WAIT counts
     * only its own connection's writes).
     *
     * @throws SampleUnavailableException Redis did not answer, or fewer replicas confirmed the end (in force on the
     *                                    master, lost should it fail now): the caller answers 503, and the retry ends
     *                                    the family again
     */
    public List<AccessRecord> revokeFamily(String familyId, String subject) {
        List<String> keys = List.of(SampleKeys.family(familyId), SampleKeys.familyAccessTokens(familyId));
        List<AccessRecord> issued = records(redis.call("revoking a refresh family",
                r -> (List<?>) r.eval(REVOKE, keys, List.of(subject))));
        if (minReplicas > 0) {
            confirmEnd(familyId, subject, keys);
        }
        return issued;
    }

    /**
     * Ends the family once more (idempotent) and WAITs on that same connection: WAIT counts only its own connection's
     * writes, and the replication stream is ordered, so its confirmation covers the end made just before too.
     */
    private void confirmEnd(String familyId, String subject, List<String> keys) {
        redis.call("confirming the end of a refresh family", r -> {
            Response<Object> endedAgain;
            Response<Long> confirmed;
            try (AbstractPipeline pipeline = r.pipelined()) {
                endedAgain = pipeline.eval(REVOKE, keys, List.of(subject));
                confirmed = pipeline.waitReplicas(keys.get(0), minReplicas, replicaTimeoutMs);
            }
            long replicas;
            try {
                // The WAIT confirms only what this connection wrote: an end refused here (MOVED or ASK while the
                // slot moves, TRYAGAIN, OOM, BUSY) leaves it counting an older write of the pooled connection.
                endedAgain.get();
                replicas = confirmed.get();
            } catch (IllegalStateException e) {
                // The pipeline's connection failed (a node down, a failover under way): no answer.
                throw new SampleUnavailableException("No answer confirming the end of refresh family " + familyId, e);
            } catch (JedisDataException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) {
                    // As JwtGate's own revocations then (RevocationUnconfirmedException): in force, no retry confirms it.
                    LOG.warn("Refresh family {} ended, not confirmed by replicas: {}; allow WAIT (+wait) to redis.user",
                            familyId, e.getMessage());
                    return null;
                }
                throw e;
            }
            if (replicas < minReplicas) {
                throw new SampleUnavailableException("The end of refresh family " + familyId + " was confirmed by "
                        + replicas + " of " + minReplicas + " replicas", null);
            }
            return null;
        });
    }

    /** Records as a script answers them: {@code jti, iat:exp:recorded, ...}. */
    private static List<AccessRecord> records(List<?> reply) {
        List<AccessRecord> records = new ArrayList<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            String[] times = text(reply.get(i + 1)).split(":");
            records.add(new AccessRecord(text(reply.get(i)), Instant.ofEpochSecond(Long.parseLong(times[0])),
                    Instant.ofEpochSecond(Long.parseLong(times[1]))));
        }
        return records;
    }

    /** Drops access tokens from their family's records, once revoked: ending the family need not again. */
    public void forget(String familyId, List<AccessRecord> revoked) {
        String[] tokenIds = revoked.stream().map(AccessRecord::tokenId).toArray(String[]::new);
        if (tokenIds.length > 0) {
            redis.call("forgetting revoked access tokens", r -> r.hdel(SampleKeys.familyAccessTokens(familyId), tokenIds));
        }
    }

    /**
     * The request that was answered {@link Reused} ends, unless its lease ran out and another owns the revocation now:
     * when {@code done} (every access token of the family revoked durably, or in force where no retry would confirm
     * it), they are refused with nothing more to do; otherwise the next token of the family presented revokes them
     * again, at once (not after the lease).
     */
    public void reuseHandled(Reused reuse, boolean done) {
        redis.call("ending a reuse's revocation", r -> r.eval(REUSE_HANDLED, List.of(SampleKeys.family(reuse.familyId())),
                List.of(reuse.owner(), done ? "1" : "0")));
    }

    /** Revokes every family of {@code subject} (logout everywhere, admin revoke); returns the access tokens they issued. */
    public List<AccessRecord> revokeAllFamilies(String subject) {
        String key = SampleKeys.userFamilies(subject);
        Set<String> families = redis.call("listing refresh families", r -> r.smembers(key));
        List<AccessRecord> issued = new ArrayList<>();
        if (families.isEmpty()) {
            return issued;
        }
        for (String familyId : families) {
            issued.addAll(revokeFamily(familyId, subject));
        }
        redis.call("forgetting refresh families", r -> r.srem(key, families.toArray(String[]::new)));
        return issued;
    }

    public Duration lifetime() {
        return lifetime;
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

}
