package org.jwtgate.internal.revocation.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.internal.revocation.UserRevocationInstant;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The Redis commands of revocation and the reading of their replies, shared by the cluster and
 * the single-node store. Every command touches only keys of one user, which share the hash tag
 * {@code {sub}} ({@link RevocationKeys}), so it runs on one node of a cluster.
 *
 * <ul>
 *   <li>check: {@code MGET user jti} (denylist) or {@code MGET user live jti} (allowlist): one read-only round trip</li>
 *   <li>revoke a token: a script that sets {@code jti} with the longer of its lifetime and the one left; allowlist:
 *       also {@code DEL live} (one script, atomic; while the user's slot migrates, the two one after the other)</li>
 *   <li>revoke a user: a script that stores the instant only if it is later than the stored one</li>
 *   <li>register (allowlist): {@code SET live 1 PX ttl}</li>
 *   <li>health's probe: {@code MGET} of one key under the prefix, in a slot of the master asked, never written:
 *       the checks' command and key rights, where a {@code PING} passed while every check got NOPERM or CLUSTERDOWN</li>
 *   <li>health's and the start-up check's probe of the writes: an {@code EVAL} on that key asking, with
 *       {@code redis.acl_check_cmd}, whether the revocation scripts' commands are allowed ({@link #WRITE_PROBE_SCRIPT});
 *       it writes nothing</li>
 * </ul>
 */
final class RevocationCommands {

    /**
     * KEYS[1] = user key, ARGV[1] = revocation instant (epoch ms), ARGV[2] = ttl (ms). The instant
     * never moves backwards (two servers revoking the same user with skewed clocks, or a retry of an
     * older request); the entry's lifetime only grows — also when a later instant is stored by a writer
     * whose tokens live shorter (another application, the CLI), or the first writer's older tokens would
     * pass again once the shorter entry expired. An entry without expiry (written by hand) keeps none, and one
     * that holds no number (written by hand: it refuses every token of the user) keeps its value, or a later
     * revocation would lift that ban. Returns 1 when the instant was stored.
     *
     * <p>It always writes, also when nothing changes: WAIT counts the replicas that have this connection's
     * last write, and from Redis 7.2 a command that changes nothing does not count as one, so a WAIT after
     * it would report the replicas of an older write (or of none) as confirming this revocation.
     */
    static final String REVOKE_USER_SCRIPT = """
            local value = redis.call('GET', KEYS[1])
            local current = nil
            if value and #value <= 19 and string.match(value, '^[+-]?%d+$') then
              current = tonumber(value) -- a number as UserRevocationInstant reads one ('1e3', ' 1', '0x1' are not)
            end
            local stored = 0
            if value == false or (current ~= nil and current < tonumber(ARGV[1])) then
              value = ARGV[1]
              stored = 1
            end
            local left = redis.call('PTTL', KEYS[1])
            if left == -1 then
              redis.call('SET', KEYS[1], value) -- it had no expiry: keeps none
            else
              redis.call('SET', KEYS[1], value, 'PX', math.max(tonumber(ARGV[2]), left))
            end
            return stored
            """;

    /**
     * KEYS[1] = jti key, ARGV[1] = ttl (ms): a token's entry, whose lifetime only grows (a second revocation
     * by a writer with a smaller skew, or with an earlier exp from an audit line, must not cut it short); one
     * without expiry keeps none. Always writes (see {@link #REVOKE_USER_SCRIPT}).
     */
    private static final String SET_TOKEN_ENTRY = """
            local left = redis.call('PTTL', KEYS[1])
            if left == -1 then
              redis.call('SET', KEYS[1], '1') -- it had no expiry: keeps none
            else
              redis.call('SET', KEYS[1], '1', 'PX', math.max(tonumber(ARGV[1]), left))
            end
            """;

    /** KEYS[1] = jti key, ARGV[1] = ttl (ms): denylist revocation. */
    static final String REVOKE_TOKEN_SCRIPT = SET_TOKEN_ENTRY + "return 1\n";

    /** KEYS[1] = jti key, KEYS[2] = live key, ARGV[1] = ttl (ms): allowlist revocation, atomic. */
    static final String REVOKE_LIVE_TOKEN_SCRIPT = SET_TOKEN_ENTRY + "redis.call('DEL', KEYS[2])\nreturn 1\n";

    /**
     * The probe of the writes, KEYS[1] = the probe key of a master's slot (never written, among the revocations' keys),
     * ARGV[1] = {@code 1} in allowlist mode, ARGV[2] = the events channel (denylist only: allowlist mode announces
     * nothing): whether this user may run, on a key of that slot, the commands the revocation scripts run ({@code GET},
     * {@code PTTL}, {@code SET ... PX}; allowlist: {@code DEL}), and announce them ({@code SPUBLISH} on the channel),
     * asked with {@code redis.acl_check_cmd}
     * (Redis 7+), so it writes and publishes nothing; on Redis 6 (no {@code acl_check_cmd}) the scripts' reads
     * themselves. Run with {@code EVAL}, as the scripts are: a user without {@code +eval} is refused as every
     * revocation would be. Before, only the checks' {@code MGET} was probed: such a user started, health said UP, and
     * every revocation failed.
     */
    static final String WRITE_PROBE_SCRIPT = """
            if redis.acl_check_cmd then
              if not redis.acl_check_cmd('GET', KEYS[1]) then
                return redis.error_reply("NOPERM this user has no permissions to run the 'get' command in the revocation scripts")
              end
              if not redis.acl_check_cmd('PTTL', KEYS[1]) then
                return redis.error_reply("NOPERM this user has no permissions to run the 'pttl' command in the revocation scripts")
              end
              if not redis.acl_check_cmd('SET', KEYS[1], '1', 'PX', '1') then
                return redis.error_reply("NOPERM this user has no permissions to run the 'set' command in the revocation scripts")
              end
              if ARGV[1] == '1' and not redis.acl_check_cmd('DEL', KEYS[1]) then
                return redis.error_reply("NOPERM this user has no permissions to run the 'del' command in the revocation scripts")
              end
              if ARGV[2] and not redis.acl_check_cmd('SPUBLISH', ARGV[2], 'probe') then
                return redis.error_reply("NOPERM this user has no permissions to run the 'spublish' command on the revocations' channel")
              end
              return 1
            end
            redis.call('GET', KEYS[1])
            redis.call('PTTL', KEYS[1])
            return 1
            """;

    private static final String REVOKED = "1";

    private final RevocationKeys keys;
    private final boolean allowlist;
    /** Probe keys by slot: a probe reads one slot per master, the same ones while the topology stays. */
    private final Map<Integer, CommandObject<List<String>>> probes = new ConcurrentHashMap<>();
    /** Write probes by slot, as {@link #probes}. */
    private final Map<Integer, CommandObject<Object>> writeProbes = new ConcurrentHashMap<>();

    RevocationCommands(RevocationKeys keys, RevocationSettings.Mode mode) {
        this.keys = keys;
        this.allowlist = mode == RevocationSettings.Mode.ALLOWLIST;
    }

    /** The keys a check reads, in the order {@link #isRevoked} expects their values. */
    List<String> checkKeys(TokenRef token) {
        RevocationKeys.CheckKeys known = keys.checkKeys(token); // remembered for a token checked before
        return allowlist
                ? List.of(known.user(), keys.liveKey(token), known.token())
                : List.of(known.user(), known.token());
    }

    CommandObject<List<String>> check(List<String> checkKeys) {
        return new CommandObject<>(new CommandArguments(Protocol.Command.MGET).keys(checkKeys), BuilderFactory.STRING_LIST);
    }

    /** Health's probe of the master serving {@code slot}: a check's read ({@code MGET}) of a key in that slot. */
    CommandObject<List<String>> probe(int slot) {
        return probes.computeIfAbsent(slot, s -> check(List.of(keys.probeKey(tagOf(s)))));
    }

    /** The probe of the writes on the master serving {@code slot} ({@link #WRITE_PROBE_SCRIPT}, on the probe key). */
    CommandObject<Object> writeProbe(int slot) {
        return writeProbes.computeIfAbsent(slot, s -> allowlist
                ? eval(WRITE_PROBE_SCRIPT, List.of(keys.writeProbeKey(tagOf(s))), "1")
                : eval(WRITE_PROBE_SCRIPT, List.of(keys.writeProbeKey(tagOf(s))), "0", keys.prefix() + "events"));
    }

    /** The first decimal number whose hash slot is {@code slot} (about 16,000 tries, once per slot probed). */
    static String tagOf(int slot) {
        for (int n = 0; ; n++) {
            String tag = Integer.toString(n);
            if (JedisClusterCRC16.getSlot(tag) == slot) {
                return tag;
            }
        }
    }

    /** For a slot in migration, where a multi-key read answers TRYAGAIN: the same values, one key at a time. */
    CommandObject<String> get(String key) {
        return new CommandObject<>(new CommandArguments(Protocol.Command.GET).key(key), BuilderFactory.STRING);
    }

    /**
     * Reads the values of {@link #checkKeys}: refused when the user was revoked at or after the
     * token's {@code iat}, when the token's own entry exists, or (allowlist) when it is not registered.
     */
    boolean isRevoked(TokenRef token, List<String> values) {
        if (values.size() != (allowlist ? 3 : 2)) {
            throw new RevocationUnavailableException("Redis answered " + values.size() + " values to a revocation check");
        }
        String userRevokedAt = values.get(0);
        if (userRevokedAt != null && revokedByUser(token, userRevokedAt)) {
            return true;
        }
        if (allowlist) {
            return values.get(1) == null || values.get(2) != null;
        }
        return values.get(1) != null;
    }

    private static boolean revokedByUser(TokenRef token, String userRevokedAt) {
        // A value not written by JwtGate bans the user: every token is refused, as the near-cache refuses it (an
        // "unavailable" answer let it pass where revocation.failure-mode=open).
        long revokedAtMillis = UserRevocationInstant.millis(userRevokedAt);
        return UserRevocationInstant.covers(token.issuedAt(), revokedAtMillis);
    }

    /** The key whose slot (and so whose node) a write for this token goes to. */
    String routingKey(TokenRef token) {
        return keys.userKey(token.subject());
    }

    String routingKey(String subject) {
        return keys.userKey(subject);
    }

    CommandObject<?> revokeToken(TokenRef token, Duration ttl) {
        if (allowlist) {
            return eval(REVOKE_LIVE_TOKEN_SCRIPT, List.of(keys.tokenKey(token), keys.liveKey(token)),
                    Long.toString(millis(ttl)));
        }
        return revokeTokenEntry(keys.tokenKey(token), ttl);
    }

    private static CommandObject<?> revokeTokenEntry(String tokenKey, Duration ttl) {
        return eval(REVOKE_TOKEN_SCRIPT, List.of(tokenKey), Long.toString(millis(ttl)));
    }

    /** One command on one key, for a write that must go key by key. */
    record KeyedCommand(String key, CommandObject<?> command) {
    }

    /** Whether {@link #revokeToken} is a multi-key script (allowlist mode), which a migrating slot answers TRYAGAIN. */
    boolean revokesSeveralKeys() {
        return allowlist;
    }

    /**
     * Allowlist revocation key by key, for a slot in migration: the {@code jti} entry first, which alone refuses
     * the token (and keeps a late registration from bringing it back), then the {@code live} entry's removal.
     */
    List<KeyedCommand> revokeTokenKeyByKey(TokenRef token, Duration ttl) {
        String jti = keys.tokenKey(token);
        String live = keys.liveKey(token);
        return List.of(new KeyedCommand(jti, revokeTokenEntry(jti, ttl)),
                new KeyedCommand(live, new CommandObject<>(new CommandArguments(Protocol.Command.DEL).key(live),
                        BuilderFactory.LONG)));
    }

    CommandObject<?> revokeUser(String subject, Instant instant, Duration ttl) {
        return eval(REVOKE_USER_SCRIPT, List.of(keys.userKey(subject)),
                Long.toString(instant.toEpochMilli()), Long.toString(millis(ttl)));
    }

    CommandObject<?> register(TokenRef token, Duration ttl) {
        return setWithTtl(keys.liveKey(token), ttl);
    }

    /** {@code WAIT numreplicas timeout}: how many replicas have every write made so far on this connection. */
    static CommandObject<Long> waitReplicas(int replicas, long timeoutMs) {
        return new CommandObject<>(new CommandArguments(Protocol.Command.WAIT).add(replicas).add(timeoutMs),
                BuilderFactory.LONG);
    }

    private static CommandObject<String> setWithTtl(String key, Duration ttl) {
        return new CommandObject<>(new CommandArguments(Protocol.Command.SET).key(key).add(REVOKED)
                .add("PX").add(millis(ttl)), BuilderFactory.STRING);
    }

    private static CommandObject<Object> eval(String script, List<String> scriptKeys, String... args) {
        CommandArguments arguments = new CommandArguments(Protocol.Command.EVAL).add(script).add(scriptKeys.size());
        scriptKeys.forEach(arguments::key);
        for (String arg : args) {
            arguments.add(arg);
        }
        return new CommandObject<>(arguments, BuilderFactory.RAW_OBJECT);
    }

    /** PX needs at least 1 ms. */
    private static long millis(Duration ttl) {
        return Math.max(1, ttl.toMillis());
    }
}
