package org.jwtgate.principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** JwtPrincipal.readResolve against streams a session store legitimately holds (1.0.0's form too): read back equal. */
class JwtPrincipalSerializationTest {

    /**
     * A principal serialized by the JwtPrincipal of b45dc33a (the 1.0.0 distribution: 8 fields, no dpopThumbprint nor
     * senderConstrained), built with claims holding cnf.jkt and a java.util.Date, compiled from that commit's source.
     */
    private static final String STREAM_1_0_0 = "rO0ABXNyACJvcmcuand0Z2F0ZS5wcmluY2lwYWwuSnd0UHJpbmNpcGFsAAAAAAAAAAECAAhMAAZjbGFpbXN0AA9MamF2YS91dGlsL01hcDtMAAlleHBpcmVzQXR0ABNMamF2YS90aW1lL0luc3RhbnQ7TAAIaXNzdWVkQXRxAH4AAkwABmlzc3VlcnQAEkxqYXZhL2xhbmcvU3RyaW5nO0wABG5hbWVxAH4AA0wABXJvbGVzdAAPTGphdmEvdXRpbC9TZXQ7TAAHc3ViamVjdHEAfgADTAAHdG9rZW5JZHEAfgADeHBzcgAlamF2YS51dGlsLkNvbGxlY3Rpb25zJFVubW9kaWZpYWJsZU1hcPGlqP509QdCAgABTAABbXEAfgABeHBzcgAXamF2YS51dGlsLkxpbmtlZEhhc2hNYXA0wE5cEGzA+wIAAVoAC2FjY2Vzc09yZGVyeHIAEWphdmEudXRpbC5IYXNoTWFwBQfawcMWYNEDAAJGAApsb2FkRmFjdG9ySQAJdGhyZXNob2xkeHA/QAAAAAAADHcIAAAAEAAAAAZ0AANpc3N0ABZodHRwczovL2lzc3Vlci5leGFtcGxldAADc3VidAAFYWxpY2V0AANqdGl0AANqLTF0AAZncm91cHNzcgAmamF2YS51dGlsLkNvbGxlY3Rpb25zJFVubW9kaWZpYWJsZUxpc3T8DyUxteyOEAIAAUwABGxpc3R0ABBMamF2YS91dGlsL0xpc3Q7eHIALGphdmEudXRpbC5Db2xsZWN0aW9ucyRVbm1vZGlmaWFibGVDb2xsZWN0aW9uGUIAgMte9x4CAAFMAAFjdAAWTGphdmEvdXRpbC9Db2xsZWN0aW9uO3hwc3IAE2phdmEudXRpbC5BcnJheUxpc3R4gdIdmcdhnQMAAUkABHNpemV4cAAAAAJ3BAAAAAJ0AAR1c2VydAAFYWRtaW54cQB+ABh0AANjbmZzcQB+AAZzcQB+AAg/QAAAAAAADHcIAAAAEAAAAAF0AANqa3R0ACswWmNPQ09SWk5ZeS1EV3BxcTMwalp5SkdIVE4wZDJIZ2xCVjN1aWd1QTRJeAB0AAR3aGVuc3IADmphdmEudXRpbC5EYXRlaGqBAUtZdBkDAAB4cHcIAAAAAAAAAAB4eABzcgANamF2YS50aW1lLlNlcpVdhLobIkiyDAAAeHB3DQIAAAAAaS220AAAAAB4c3EAfgAjdw0CAAAAAGktqMAAAAAAeHEAfgAMcQB+AA5zcgARamF2YS51dGlsLkNvbGxTZXJXjqu2OhuoEQMAAUkAA3RhZ3hwAAAAAncEAAAAAnEAfgAZcQB+ABp4cQB+AA5xAH4AEA==";

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

    private static Map<String, Object> nested(int levels) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("leaf", "x");
        for (int i = 1; i < levels; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("n", inner);
            inner = outer;
        }
        return inner;
    }

    @Test
    void aPrincipalSerializedBy100IsReadBackEqualWithItsBindingReadFromItsClaims() throws Exception {
        JwtPrincipal read = (JwtPrincipal) deserialize(Base64.getDecoder().decode(STREAM_1_0_0));
        JwtPrincipal expected = new JwtPrincipal("alice", "alice", "https://issuer.example", "j-1",
                Instant.ofEpochSecond(1764600000L), Instant.ofEpochSecond(1764603600L), Set.of("user", "admin"),
                Map.of());
        assertEquals(expected, read);
        assertEquals(expected.hashCode(), read.hashCode());
        assertEquals(new Date(0), read.claims().get("when"));
        assertEquals(Optional.of("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"), read.dpopThumbprint());
        assertThrows(UnsupportedOperationException.class, () -> read.roles().add("root"));
    }

    @Test
    void aSenderConstrainedPrincipalWithADateAndTheDeepestClaimsAllowedRoundTrips() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("cnf", Map.of("jkt", "thumb"));
        claims.put("when", new Date(0));
        claims.put("deep", nested(ImmutableJson.MAX_DEPTH - 1));
        claims.put("array", new String[] {"a", "b"});
        JwtPrincipal bound = new JwtPrincipal("alice", "alice", "https://issuer.example", "j-1", Instant.now(),
                Instant.now().plusSeconds(600), Set.of("user"), claims).asSenderConstrained();
        JwtPrincipal read = (JwtPrincipal) deserialize(serialize(bound));
        assertEquals(bound, read);
        assertEquals(bound.hashCode(), read.hashCode());
        assertEquals(bound.claims(), read.claims());
        assertTrue(read.isSenderConstrained());
        assertEquals(Optional.of("thumb"), read.dpopThumbprint());
        assertEquals(List.of("a", "b"), read.claims().get("array"));
    }
}
