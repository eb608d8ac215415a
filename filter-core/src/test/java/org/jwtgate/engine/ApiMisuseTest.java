package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;

/** The public API as a hurried application developer misuses it (an API probe's tests): named refusals, never a deep NullPointerException. */
class ApiMisuseTest {

    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static Map<String, String> settings(String... extra) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    private static String payload(String between) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE + "\",\"sub\":\"alice\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + between + "\"jti\":\"j-1\"}";
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = JwtPrincipal.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** A session-replicating container round-trips the principal: still equal, still immutable. */
    @Test
    void aVerifiedPrincipalRoundTripsThroughSerializationImmutable() throws Exception {
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings()))) {
            JwtPrincipal user = gate.verify(TestTokens.hs256("alice", "admin", "user"));
            JwtPrincipal copy = (JwtPrincipal) deserialize(serialize(user));
            assertEquals(user, copy);
            assertEquals(user.claims(), copy.claims());
            assertThrows(UnsupportedOperationException.class, () -> copy.roles().add("root"));
            assertThrows(UnsupportedOperationException.class, () -> copy.claims().put("x", "y"));
        }
    }

    /**
     * A stream a session store holds (or one an attacker wrote into it) is trusted as it is: the class has no
     * readObject, so roles come back as whatever Set the stream names (mutable), the name null (documented never null).
     */
    @Test
    void aHostileStreamCannotGiveAPrincipalMutableRolesOrANullName() throws Exception {
        JwtPrincipal user = new JwtPrincipal("alice", "alice", TestTokens.ISSUER, "j-1", Instant.now(),
                Instant.now().plusSeconds(600), Set.of("user"), Map.of());
        set(user, "roles", new HashSet<>(Set.of("user")));
        set(user, "claims", new HashMap<>(Map.of("groups", new ArrayList<>(List.of("user")))));
        JwtPrincipal copy = (JwtPrincipal) deserialize(serialize(user));
        boolean rolesMutable;
        try {
            copy.roles().add("admin");
            rolesMutable = true;
        } catch (UnsupportedOperationException expected) {
            rolesMutable = false;
        }
        assertFalse(rolesMutable, "deserialized roles() is mutable: now " + copy.roles() + ", hasRole(admin)="
                + copy.hasRole("admin"));
    }

    @Test
    void aHostileStreamWithANullNameIsRefusedOnRead() throws Exception {
        JwtPrincipal user = new JwtPrincipal("alice", "alice", TestTokens.ISSUER, "j-1", Instant.now(),
                Instant.now().plusSeconds(600), Set.of("user"), Map.of());
        set(user, "name", null);
        set(user, "senderConstrained", true); // and sender-constrained without any cnf.jkt binding
        byte[] bytes = serialize(user);
        assertThrows(java.io.InvalidObjectException.class, () -> deserialize(bytes),
                "a principal with a null name and a binding it does not have was read back");
    }

    /** An application's own store returning null from revokeToken: a clean message, not an NPE from audited(). */
    @Test
    void anOwnStoreAnsweringNullToARevocationIsNamedNotANullPointerException() {
        RevocationStore nulls = new StubStore() {
            @Override
            public RevocationResult revokeToken(TokenRef token, Duration ttl) {
                return null;
            }
        };
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings(ConfigKeys.REVOCATION_STORE, "memory")), nulls,
                Clock.systemUTC())) {
            TokenRef ref = new TokenRef(TestTokens.ISSUER, "alice", "j-1", null, Instant.now().plusSeconds(60));
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> gate.revocation().revokeToken(ref));
            assertFalse(thrown instanceof NullPointerException,
                    "NullPointerException from inside JwtGate: " + thrown.getMessage() + " at " + thrown.getStackTrace()[0]);
        }
    }

    @Test
    void revocationArgumentsOutOfRangeAreIllegalArgumentsWithAMessage() {
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings(ConfigKeys.REVOCATION_STORE, "memory")))) {
            for (Instant exp : new Instant[] {Instant.MAX, Instant.now().plus(Duration.ofDays(365L * 200))}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gate.revocation()
                        .revokeToken(new TokenRef(TestTokens.ISSUER, "alice", "j-1", null, exp)));
                assertTrue(e.getMessage().contains("years ahead"), e.getMessage());
            }
            // In the past, even Instant.MIN: a short entry, no arithmetic overflow.
            assertNotNull(gate.revocation().revokeToken(new TokenRef(TestTokens.ISSUER, "alice", "j-2", null, Instant.MIN)));
            assertThrows(IllegalArgumentException.class, () -> gate.revocation().revokeUser(" "));
            assertThrows(NullPointerException.class, () -> gate.revocation().revokeUser(null));
            NullPointerException npe = assertThrows(NullPointerException.class, () -> gate.revocation().isRevoked(null));
            assertEquals("token", npe.getMessage(), "isRevoked(null) names no argument");
        }
    }

    @Test
    void aOneMegabyteSubjectIsRevokedOrRefusedCleanly() {
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings(ConfigKeys.REVOCATION_STORE, "memory")))) {
            String subject = "a".repeat(1 << 20);
            assertNotNull(gate.revocation().revokeUser(subject));
        }
    }

    @Test
    void claimsNestedTenThousandDeepOrWithDuplicateKeysOrHugeNumbersAreRefused() {
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings(ConfigKeys.TOKEN_MAX_LENGTH, "1048576")))) {
            String deep = "\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + ",";
            assertThrows(InvalidTokenException.class, () -> gate.verify(RawJws.hs256(HEADER, payload(deep))));
            String deepArrays = "\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + ",";
            assertThrows(InvalidTokenException.class, () -> gate.verify(RawJws.hs256(HEADER, payload(deepArrays))));
            // Two subs: which one would a revocation key on?
            String dup = "\"sub\":\"mallory\",";
            assertThrows(InvalidTokenException.class, () -> gate.verify(RawJws.hs256(HEADER, payload(dup))));
            long now = System.currentTimeMillis() / 1000;
            for (String exp : new String[] {"1e400", "99999999999999999999999999", "-1e400", "1.7976931348623157E308"}) {
                String p = "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                        + "\",\"sub\":\"alice\",\"iat\":" + now + ",\"exp\":" + exp + ",\"jti\":\"j-1\"}";
                assertThrows(InvalidTokenException.class, () -> gate.verify(RawJws.hs256(HEADER, p)), exp);
            }
        }
    }

    @Test
    void afterCloseChecksAndRevocationsFailNamedAndCloseTwiceIsQuiet() {
        JwtGate gate = JwtGate.start(JwtGateConfig.of(settings(ConfigKeys.REVOCATION_STORE, "memory")));
        JwtPrincipal user = gate.verify(TestTokens.hs256("alice"));
        gate.close();
        gate.close();
        assertThrows(RevocationUnavailableException.class, () -> gate.revocation().isRevoked(user));
        assertThrows(RevocationUnavailableException.class, () -> gate.revocation().revoke(user));
        assertEquals(Health.Status.DOWN, gate.health().status());
    }

    @Test
    void oneGateFrom32ThreadsWhileClosedEndsEveryCallWithinSeconds() throws Exception {
        JwtGate gate = JwtGate.start(JwtGateConfig.of(settings(ConfigKeys.REVOCATION_STORE, "memory")));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            tokens.add(TestTokens.hs256("user" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            int n = t;
            results.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2000; i++) {
                    try {
                        JwtPrincipal p = gate.verify(tokens.get((n + i) % tokens.size()));
                        if (gate.revocation().isRevoked(p)) {
                            return "revoked?";
                        }
                        if (i % 50 == 0) {
                            gate.revocation().revoke(p);
                        }
                    } catch (RevocationUnavailableException closed) {
                        // after close: expected
                    }
                }
                return "ok";
            }));
        }
        go.countDown();
        Thread.sleep(50);
        Thread closer1 = new Thread(gate::close);
        Thread closer2 = new Thread(gate::close);
        closer1.start();
        closer2.start();
        closer1.join(5000);
        closer2.join(5000);
        assertFalse(closer1.isAlive() || closer2.isAlive(), "close() did not return");
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS), "calls still running after close");
        for (Future<String> r : results) {
            String outcome = r.get();
            assertTrue(outcome.equals("ok") || outcome.equals("revoked?"), outcome);
        }
    }

    @Test
    void verifyAndDpopAndConfigMisuseIsNamed() {
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings()))) {
            String token = TestTokens.hs256("alice");
            for (String bad : new String[] {"", " ", "Bearer " + token, token + " ", "\n" + token, "a.b.c", "...",
                    "x".repeat(9000)}) {
                assertThrows(InvalidTokenException.class, () -> gate.verify(bad), bad.length() > 40 ? "long" : bad);
            }
            IllegalStateException off = assertThrows(IllegalStateException.class,
                    () -> gate.verifyDpopProof(null, null, null));
            assertTrue(off.getMessage().contains("dpop.mode"), off.getMessage());
        }
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings(ConfigKeys.DPOP_MODE, "allowed")))) {
            JwtPrincipal user = gate.verify(TestTokens.hs256("alice"));
            assertThrows(org.jwtgate.dpop.InvalidDpopProofException.class,
                    () -> gate.verifyDpopProof(null, "GET", java.net.URI.create("https://a.example/x")));
            assertThrows(org.jwtgate.dpop.InvalidDpopProofException.class,
                    () -> gate.verifyDpopProof("", "GET", java.net.URI.create("https://a.example/x"), "t", user));
            RuntimeException nullUri = assertThrows(RuntimeException.class,
                    () -> gate.verifyDpopProof("a.b.c", null, null, null, null));
            assertFalse(nullUri instanceof NullPointerException && nullUri.getMessage() != null
                    && nullUri.getMessage().startsWith("Cannot invoke"), "deep NPE: " + nullUri);
        }
        assertThrows(NullPointerException.class, () -> JwtGateConfig.of(null));
        Map<String, String> withNull = new HashMap<>(settings());
        withNull.put(ConfigKeys.JWT_ISSUER, null);
        RuntimeException nullValue = assertThrows(RuntimeException.class, () -> JwtGateConfig.of(withNull));
        assertFalse(nullValue instanceof NullPointerException && String.valueOf(nullValue.getMessage()).startsWith("Cannot"),
                "deep NPE: " + nullValue);
        assertThrows(NullPointerException.class, () -> JwtGate.start(null));
    }

    @Test
    void claimsOfAVerifiedTokenCannotBeChangedAtAnyDepth() {
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings()))) {
            org.jose4j.jwt.JwtClaims claims = TestTokens.claims("alice", "user");
            claims.setClaim("profile", Map.of("emails", List.of("a@example.com"), "address", Map.of("city", "X")));
            JwtPrincipal user = gate.verify(TestTokens.hs256(claims));
            assertThrows(UnsupportedOperationException.class, () -> user.claims().put("groups", List.of("admin")));
            assertThrows(UnsupportedOperationException.class, () -> user.claims().remove("sub"));
            @SuppressWarnings("unchecked")
            Map<String, Object> profile = (Map<String, Object>) user.claim("profile");
            assertThrows(UnsupportedOperationException.class, () -> profile.put("x", 1));
            @SuppressWarnings("unchecked")
            List<Object> emails = (List<Object>) profile.get("emails");
            assertThrows(UnsupportedOperationException.class, () -> emails.add("evil@example.com"));
            @SuppressWarnings("unchecked")
            List<Object> groups = (List<Object>) user.claim("groups");
            assertThrows(UnsupportedOperationException.class, () -> groups.add("admin"));
            assertThrows(UnsupportedOperationException.class, () -> user.roles().add("admin"));
            // A second verify of the same token (cache hit) is unaffected.
            assertEquals(Set.of("user"), gate.verify(TestTokens.hs256(claims)).roles());
        }
    }

    abstract static class StubStore implements RevocationStore {
        @Override
        public boolean isRevoked(TokenRef token) {
            return false;
        }

        @Override
        public RevocationResult revokeToken(TokenRef token, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RevocationResult register(TokenRef token, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "stub";
        }

        @Override
        public void close() {
        }
    }
}
