package org.jwtgate.principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtPrincipalTest {

    private static JwtPrincipal principal(Map<String, Object> claims) {
        return new JwtPrincipal("alice", "alice", "https://issuer", "jti-1", Instant.EPOCH, Instant.EPOCH.plusSeconds(600),
                Set.of("admin"), claims);
    }

    /** As the request's isUserInRole(null): an application passing a missing request parameter gets false, not a 500. */
    @Test
    void whenTheRoleAskedIsNullThenTheCallerDoesNotHaveIt() {
        JwtPrincipal principal = principal(Map.of());
        assertFalse(principal.hasRole(null));
        assertTrue(principal.hasRole("admin"));
        assertFalse(principal.hasRole("Admin"), "compared exactly");
    }

    /**
     * Empty objects and arrays are one shared instance each: a cached token whose claims held 1,900 {} took 22.8 times
     * its size in heap (an empty map and its unmodifiable view each), where the docs said about 5 (a roles probe's
     * measure; 1.2 times since).
     */
    @Test
    void whenClaimsHoldEmptyObjectsAndArraysThenTheyShareOneInstanceEach() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("objects", List.of(Map.of(), Map.of()));
        claims.put("arrays", List.of(List.of(), new String[0]));
        JwtPrincipal principal = principal(claims);
        List<?> objects = (List<?>) principal.claim("objects");
        List<?> arrays = (List<?>) principal.claim("arrays");
        assertSame(objects.get(0), objects.get(1));
        assertSame(arrays.get(0), arrays.get(1));
        assertSame(principal(Map.of("x", Map.of())).claim("x"), objects.get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> empty = (Map<String, Object>) objects.get(0);
        assertThrows(UnsupportedOperationException.class, () -> empty.put("k", "v"));
    }

    @Test
    void whenClaimsChangeAfterConstructionThenThePrincipalDoesNotSeeIt() {
        List<Object> groups = new ArrayList<>(List.of("admin"));
        Map<String, Object> nested = new HashMap<>(Map.of("k", "v"));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("groups", groups);
        claims.put("nested", nested);
        claims.put("nothing", null);
        JwtPrincipal principal = principal(claims);
        groups.add("root");
        nested.put("k", "changed");
        claims.put("extra", 1);
        assertEquals(List.of("admin"), principal.claim("groups"));
        assertEquals(Map.of("k", "v"), principal.claim("nested"));
        assertTrue(principal.claims().containsKey("nothing"));
        assertFalse(principal.claims().containsKey("extra"));
    }

    @Test
    void whenAClaimIsASetOrAnArrayThenItIsKeptAsAnImmutableListTheCallerCannotChange() {
        // Before, a Set or an array given to the constructor stayed the caller's object: changed afterwards, or
        // through claim(), it changed the "immutable" principal (a Set gained "root").
        Set<String> tags = new java.util.HashSet<>(Set.of("user"));
        String[] scopes = {"read"};
        int[] levels = {1, 2};
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("tags", tags);
        claims.put("scopes", scopes);
        claims.put("levels", levels);
        JwtPrincipal principal = principal(claims);
        tags.add("root");
        scopes[0] = "admin";
        levels[0] = 9;

        assertEquals(List.of("user"), principal.claim("tags"));
        assertEquals(List.of("read"), principal.claim("scopes"));
        assertEquals(List.of(1, 2), principal.claim("levels"));
        @SuppressWarnings("unchecked")
        List<Object> kept = (List<Object>) principal.claim("tags");
        assertThrows(UnsupportedOperationException.class, () -> kept.add("root"));
    }

    @Test
    void whenCallerTriesToModifyClaimsThenRefused() {
        JwtPrincipal principal = principal(Map.of("groups", List.of("admin"), "nested", Map.of("k", "v")));
        assertThrows(UnsupportedOperationException.class, () -> principal.claims().put("x", 1));
        @SuppressWarnings("unchecked")
        List<Object> groups = (List<Object>) principal.claim("groups");
        assertThrows(UnsupportedOperationException.class, () -> groups.add("root"));
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) principal.claim("nested");
        assertThrows(UnsupportedOperationException.class, () -> nested.put("k", "x"));
        assertThrows(UnsupportedOperationException.class, () -> principal.roles().add("root"));
    }

    @Test
    void whenClaimsNestDeeperThanTheLimitThenRefusedWithoutStackOverflow() {
        Object deep = "leaf";
        for (int i = 0; i < 100_000; i++) {
            deep = List.of(deep);
        }
        Map<String, Object> claims = Map.of("x", deep);
        assertThrows(IllegalArgumentException.class, () -> principal(claims));
    }

    @Test
    void whenClaimsNestUpToTheLimitThenAccepted() {
        Object deep = "leaf";
        for (int i = 0; i < ImmutableJson.MAX_DEPTH - 1; i++) {
            deep = List.of(deep);
        }
        assertEquals(1, principal(Map.of("x", deep)).claims().size());
    }

    @Test
    void whenPrintedThenNameRolesAndJtiButNoClaims() {
        String text = principal(Map.of("email", "alice@example.com")).toString();
        assertTrue(text.contains("alice"), text);
        assertTrue(text.contains("jti-1"), text);
        assertFalse(text.contains("alice@example.com"), text);
    }

    @Test
    void whenSameIdentityThenEqual() {
        assertEquals(principal(Map.of()), principal(Map.of("other", 1)));
        assertEquals(principal(Map.of()).hashCode(), principal(Map.of("other", 1)).hashCode());
    }

    /** Without a jti (revocation.store=none), two tokens of one second differed in nothing compared: equal, other roles and all. */
    @Test
    void whenRolesOrExpiryDifferThenNotEqual() {
        JwtPrincipal user = new JwtPrincipal("alice", "alice", "https://issuer", null, Instant.EPOCH,
                Instant.EPOCH.plusSeconds(600), Set.of("user"), Map.of());
        assertNotEquals(user, new JwtPrincipal("alice", "alice", "https://issuer", null, Instant.EPOCH,
                Instant.EPOCH.plusSeconds(600), Set.of("admin"), Map.of()));
        assertNotEquals(user, new JwtPrincipal("alice", "alice", "https://issuer", null, Instant.EPOCH,
                Instant.EPOCH.plusSeconds(900), Set.of("user"), Map.of()));
    }

    @Test
    void whenTheNameHoldsALineBreakThenToStringEscapesIt() {
        JwtPrincipal forged = new JwtPrincipal("alice\nINFO admin logged in", "alice", "https://issuer", "jti-1",
                Instant.EPOCH, Instant.EPOCH.plusSeconds(600), Set.of("admin"), Map.of());
        assertFalse(forged.toString().contains("\n"), forged.toString());
        assertTrue(forged.toString().contains("alice\\u000aINFO admin logged in"), forged.toString());
    }

    @Test
    void whenTokenCarriesCnfJktThenItIsDpopBoundButNotYetSenderConstrained() {
        JwtPrincipal bound = principal(Map.of("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")));
        assertTrue(bound.isDpopBound());
        assertEquals("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", bound.dpopThumbprint().orElseThrow());
        assertFalse(bound.isSenderConstrained());
    }

    @Test
    void whenProofVerifiedThenTheCopyIsSenderConstrainedAndStillEqual() {
        JwtPrincipal bound = principal(Map.of("cnf", Map.of("jkt", "abc")));
        JwtPrincipal proven = bound.asSenderConstrained();
        assertTrue(proven.isSenderConstrained());
        assertEquals(bound, proven);
        assertEquals(bound.hashCode(), proven.hashCode());
        assertEquals(bound.claims(), proven.claims());
        assertEquals(proven, proven.asSenderConstrained());
    }

    @Test
    void whenTokenHasNoUsableCnfJktThenItIsABearerTokenThatCannotBeSenderConstrained() {
        for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of(), Map.of("cnf", "jkt"),
                Map.of("cnf", Map.of("x5t#S256", "abc")), Map.of("cnf", Map.of("jkt", 42)), Map.of("cnf", Map.of("jkt", "")))) {
            JwtPrincipal bearer = principal(claims);
            assertFalse(bearer.isDpopBound(), claims.toString());
            assertTrue(bearer.dpopThumbprint().isEmpty());
            assertThrows(IllegalStateException.class, bearer::asSenderConstrained);
        }
    }
}
