package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.args.Rawable;

class RevocationCommandsTest {

    private static final Instant IAT = Instant.parse("2030-01-01T00:00:00Z");
    private static final TokenRef TOKEN = new TokenRef("https://issuer", "alice", "jti-1", IAT, IAT.plusSeconds(600));

    private final RevocationKeys keys = new RevocationKeys("jwtgate:");
    private final RevocationCommands denylist = new RevocationCommands(keys, RevocationSettings.Mode.DENYLIST);
    private final RevocationCommands allowlist = new RevocationCommands(keys, RevocationSettings.Mode.ALLOWLIST);

    /** An iat past the epoch-millisecond range threw ArithmeticException out of the check (a probe's find). */
    @Test
    void whenAnIatIsPastTheEpochMillisecondRangeThenTheUserCheckAnswers() {
        List<String> revokedAt = Arrays.asList(Long.toString(IAT.toEpochMilli()), null);
        TokenRef issuedLast = new TokenRef("i", "alice", "j", Instant.MAX, null);
        assertFalse(denylist.isRevoked(issuedLast, revokedAt));
        assertTrue(denylist.isRevoked(new TokenRef("i", "alice", "j", Instant.MIN, null), revokedAt));
        assertTrue(denylist.isRevoked(issuedLast, Arrays.asList("by hand", null)), "a hand-written value bans");
    }

    /**
     * The probe of the writes asks the ACL about every command the revocation scripts run (a user without one started,
     * and every revocation failed for good: a probe's find), DEL only in allowlist mode, on the probe key of the slot.
     */
    @Test
    void whenTheWritesAreProbedThenEveryCommandOfTheRevocationScriptsIsAskedAbout() {
        java.util.regex.Matcher called = java.util.regex.Pattern.compile("redis\\.call\\('([A-Z]+)'")
                .matcher(RevocationCommands.REVOKE_USER_SCRIPT + RevocationCommands.REVOKE_TOKEN_SCRIPT
                        + RevocationCommands.REVOKE_LIVE_TOKEN_SCRIPT);
        Set<String> commands = new java.util.TreeSet<>();
        while (called.find()) {
            commands.add(called.group(1));
        }
        assertEquals(Set.of("DEL", "GET", "PTTL", "SET"), commands);
        for (String command : commands) {
            assertTrue(RevocationCommands.WRITE_PROBE_SCRIPT.contains("redis.acl_check_cmd('" + command + "', KEYS[1]"),
                    command);
        }
        assertTrue(RevocationCommands.WRITE_PROBE_SCRIPT.contains("ARGV[1] == '1' and not redis.acl_check_cmd('DEL'"));
        List<String> denylistProbe = strings(denylist.writeProbe(5).getArguments());
        List<String> allowlistProbe = strings(allowlist.writeProbe(5).getArguments());
        assertEquals(List.of("EVAL", RevocationCommands.WRITE_PROBE_SCRIPT, "1",
                keys.writeProbeKey(RevocationCommands.tagOf(5)), "0", keys.prefix() + "events"), denylistProbe);
        assertTrue(RevocationCommands.WRITE_PROBE_SCRIPT.contains("redis.acl_check_cmd('SPUBLISH', ARGV[2]"));
        // Among the revocations' keys, so that an ACL's key patterns answer for it as for theirs.
        assertTrue(denylistProbe.get(3).startsWith(keys.prefix() + "{"), denylistProbe.get(3));
        assertEquals(List.of("1"), allowlistProbe.subList(4, allowlistProbe.size()), "allowlist mode announces nothing");
        assertEquals(5, redis.clients.jedis.util.JedisClusterCRC16.getSlot(denylistProbe.get(3)));
    }

    @Test
    void whenDenylistThenCheckReadsUserAndTokenKeysOfOneSlotWithMget() {
        List<String> checkKeys = denylist.checkKeys(TOKEN);
        assertEquals(List.of(keys.userKey("alice"), keys.tokenKey(TOKEN)), checkKeys);
        CommandArguments args = denylist.check(checkKeys).getArguments();
        assertEquals("MGET", args.getCommand().toString());
        assertEquals(1, args.getKeyHashSlots().size(), "one slot: one node, one round trip");
    }

    @Test
    void whenAllowlistThenCheckAlsoReadsTheLiveKey() {
        List<String> checkKeys = allowlist.checkKeys(TOKEN);
        assertEquals(List.of(keys.userKey("alice"), keys.liveKey(TOKEN), keys.tokenKey(TOKEN)), checkKeys);
        assertEquals(1, allowlist.check(checkKeys).getArguments().getKeyHashSlots().size());
    }

    @Test
    void whenNothingStoredThenDenylistAcceptsAndAllowlistRefuses() {
        assertFalse(denylist.isRevoked(TOKEN, values(null, null)));
        assertTrue(allowlist.isRevoked(TOKEN, values(null, null, null)));
    }

    @Test
    void whenTokenKeyPresentThenRefused() {
        assertTrue(denylist.isRevoked(TOKEN, values(null, "1")));
        assertTrue(allowlist.isRevoked(TOKEN, values(null, "1", "1")), "registered, then revoked");
    }

    @Test
    void whenRegisteredAndNotRevokedThenAllowlistAccepts() {
        assertFalse(allowlist.isRevoked(TOKEN, values(null, "1", null)));
    }

    @Test
    void whenUserRevokedAtOrAfterIssuedAtThenRefused() {
        long iat = IAT.toEpochMilli();
        assertTrue(denylist.isRevoked(TOKEN, values(Long.toString(iat), null)), "at the same millisecond");
        assertTrue(denylist.isRevoked(TOKEN, values(Long.toString(iat + 999), null)), "later in the same second");
        assertTrue(allowlist.isRevoked(TOKEN, values(Long.toString(iat + 1), "1", null)));
    }

    @Test
    void whenUserRevokedBeforeIssuedAtThenAccepted() {
        assertFalse(denylist.isRevoked(TOKEN, values(Long.toString(IAT.toEpochMilli() - 1), null)));
        assertFalse(allowlist.isRevoked(TOKEN, values(Long.toString(IAT.toEpochMilli() - 1), "1", null)));
    }

    @Test
    void whenTokenHasNoIssuedAtAndUserRevokedThenRefused() {
        TokenRef noIat = new TokenRef("https://issuer", "alice", "jti-1", null, IAT.plusSeconds(600));
        assertTrue(denylist.isRevoked(noIat, values("1", null)));
        assertFalse(denylist.isRevoked(noIat, values(null, null)));
    }

    @Test
    void whenUserEntryIsNotANumberThenRefusedAsTheNearCacheRefusesIt() {
        assertTrue(denylist.isRevoked(TOKEN, values("garbage", null)));
        assertTrue(denylist.isRevoked(TOKEN, values("2026-12-01T00:00:00Z", null)), "a date by hand is no number either");
    }

    /**
     * Long.parseLong read values the revoke-user script counts as no number (more than 19 characters, non-ASCII
     * digits) as small instants: the script kept them (a ban) and the checks refused none of the user's tokens.
     */
    @Test
    void whenUserEntryIsANumberOnlyToLongParseLongThenRefusedAsTheScriptKeepsItAsABan() {
        for (String byHand : List.of("00000000000000000000", "-9223372036854775808", "+0000000000000000001",
                "\u0661\u0662\u0663", "9999999999999999999", "", "+", "-")) {
            assertTrue(denylist.isRevoked(TOKEN, values(byHand, null)), "[" + byHand + "]");
        }
        assertFalse(denylist.isRevoked(TOKEN, values("-999999999999999999", null)), "19 characters: a number");
        assertFalse(denylist.isRevoked(TOKEN, values("0000000000000000001", null)), "19 digits: a number");
    }

    @Test
    void whenReplyHasWrongShapeThenUnavailable() {
        assertThrows(RevocationUnavailableException.class, () -> denylist.isRevoked(TOKEN, values((String) null)));
    }

    @Test
    void whenDenylistRevokeThenOneScriptWithMillisecondTtl() {
        CommandObject<?> command = denylist.revokeToken(TOKEN, Duration.ofMillis(123_456));
        assertEquals(List.of("EVAL", RevocationCommands.REVOKE_TOKEN_SCRIPT, "1", keys.tokenKey(TOKEN), "123456"),
                strings(command.getArguments()));
    }

    @Test
    void whenAllowlistRevokeThenOneScriptDeletesLiveAndSetsTokenKey() {
        CommandObject<?> command = allowlist.revokeToken(TOKEN, Duration.ofSeconds(5));
        List<String> args = strings(command.getArguments());
        assertEquals("EVAL", args.get(0));
        assertEquals(RevocationCommands.REVOKE_LIVE_TOKEN_SCRIPT, args.get(1));
        assertEquals(List.of("2", keys.tokenKey(TOKEN), keys.liveKey(TOKEN), "5000"), args.subList(2, 6));
        assertEquals(1, command.getArguments().getKeyHashSlots().size());
    }

    @Test
    void whenRevokeUserThenScriptGetsInstantAndTtlInMillis() {
        Instant at = Instant.ofEpochMilli(1_900_000_000_123L);
        CommandObject<?> command = denylist.revokeUser("alice", at, Duration.ofSeconds(86_430));
        List<String> args = strings(command.getArguments());
        assertEquals(List.of("EVAL", RevocationCommands.REVOKE_USER_SCRIPT, "1", keys.userKey("alice"),
                "1900000000123", "86430000"), args);
        assertTrue(RevocationCommands.REVOKE_USER_SCRIPT.contains("current < tonumber(ARGV[1])"),
                "the instant only moves forwards");
    }

    @Test
    void whenRegisterThenSetLiveKeyWithTtl() {
        assertEquals(List.of("SET", keys.liveKey(TOKEN), "1", "PX", "1000"),
                strings(allowlist.register(TOKEN, Duration.ofSeconds(1)).getArguments()));
    }

    @Test
    void whenTtlBelowOneMillisecondThenOneMillisecond() {
        assertEquals("1", strings(denylist.revokeToken(TOKEN, Duration.ZERO).getArguments()).get(4));
    }

    @Test
    void whenWaitThenReplicasAndTimeout() {
        assertEquals(List.of("WAIT", "1", "200"), strings(RevocationCommands.waitReplicas(1, 200).getArguments()));
    }

    @Test
    void whenRoutingThenWritesGoToTheUsersSlot() {
        assertEquals(keys.userKey("alice"), denylist.routingKey(TOKEN));
        assertEquals(keys.userKey("alice"), denylist.routingKey("alice"));
        assertEquals(Set.copyOf(denylist.check(denylist.checkKeys(TOKEN)).getArguments().getKeyHashSlots()),
                denylist.revokeToken(TOKEN, Duration.ofSeconds(1)).getArguments().getKeyHashSlots());
    }

    private static List<String> values(String... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    private static List<String> strings(CommandArguments args) {
        List<String> out = new ArrayList<>();
        for (Rawable raw : args) {
            out.add(new String(raw.getRaw(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
