package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesExtractorTest {

    @Test
    void whenClaimIsAJsonArrayThenEachStringIsARole() {
        assertEquals(Set.of("admin", "dev"), new RolesExtractor("groups").extract(Map.of("groups", List.of("admin", "dev"))));
    }

    @Test
    void whenArrayHoldsNonStringsOrBlanksThenOnlyStringsCount() {
        List<Object> mixed = Arrays.asList("admin", 42, null, " ", Map.of("x", "y"), List.of("nested"), "dev");
        assertEquals(Set.of("admin", "dev"), new RolesExtractor("groups").extract(Map.of("groups", mixed)));
    }

    @Test
    void whenClaimIsASpaceSeparatedStringThenSplit() {
        assertEquals(Set.of("read", "write", "admin"),
                new RolesExtractor("scope").extract(Map.of("scope", "read  write\tadmin")));
    }

    @Test
    void whenClaimIsACommaSeparatedStringThenSplit() {
        assertEquals(Set.of("read", "write", "admin"),
                new RolesExtractor("roles").extract(Map.of("roles", "read,write, admin,")));
    }

    @Test
    void whenDottedPathThenNestedObjectsAreFollowed() {
        Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("offline_access", "admin")));
        assertEquals(Set.of("offline_access", "admin"), new RolesExtractor("realm_access.roles").extract(claims));
    }

    @Test
    void whenDeeperDottedPathThenFollowedToTheEnd() {
        Map<String, Object> claims = Map.of("resource_access", Map.of("shop", Map.of("roles", List.of("buyer"))));
        assertEquals(Set.of("buyer"), new RolesExtractor("resource_access.shop.roles").extract(claims));
    }

    @Test
    void whenPathMissingOrWrongTypeThenNoRolesRatherThanAnError() {
        RolesExtractor extractor = new RolesExtractor("realm_access.roles");
        assertEquals(Set.of(), extractor.extract(Map.of()));
        assertEquals(Set.of(), extractor.extract(Map.of("realm_access", "admin")));
        assertEquals(Set.of(), extractor.extract(Map.of("realm_access", Map.of("roles", 42))));
        assertEquals(Set.of(), extractor.extract(Map.of("realm_access", List.of("admin"))));
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("realm_access", null);
        assertEquals(Set.of(), extractor.extract(nullValue));
    }

    @Test
    void whenDottedKeyExistsLiterallyThenThePathIsStillFollowed() {
        // "a.b" names a path, never a literal key with a dot: one meaning, no ambiguity.
        assertEquals(Set.of(), new RolesExtractor("a.b").extract(Map.of("a.b", List.of("admin"))));
    }

    @Test
    void whenClaimNameIsAUrlThenItIsOneClaimNotAPathThroughItsHostsDots() {
        // Auth0 requires custom claims to be namespaced by a URL: split at its dots it named nothing, so every
        // paths.roles rule answered 403. A URL is never a path: one meaning still.
        RolesExtractor extractor = new RolesExtractor("https://myapp.example.com/roles");
        assertEquals(Set.of("admin", "billing"),
                extractor.extract(Map.of("https://myapp.example.com/roles", List.of("admin", "billing"))));
        assertEquals(Set.of(), extractor.extract(Map.of("https://myapp", Map.of("example", Map.of("com/roles", List.of("admin"))))));
    }
}
