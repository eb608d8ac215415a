package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretKeysTest {

    @Test
    void whenTextQuotesSecretsWrittenInBase64ThenEachIsMasked() {
        assertEquals("Illegal value for setting [jwt.algorithms]: [base64:****]; expected …",
                SecretKeys.hidden("Illegal value for setting [jwt.algorithms]: [base64:q83vEjRWeJASNFZ4kKvN7w==]; expected …"));
        assertEquals("[base64:****] and ${env:base64:****}",
                SecretKeys.hidden("[Base64:q83vEjRWeJASNFZ4-_vN7w] and ${env:base64:q83v/jRWeJASNF+4kKvN7w}"));
    }

    @Test
    void whenASecretIsWrappedOrSpacedThenAllOfItIsMasked() {
        // decode ignores spaces and line breaks: openssl rand -base64 64 wraps at 64 characters.
        assertEquals("[jwt.algorithms]: [base64:****] (from settings given in code)",
                SecretKeys.hidden("[jwt.algorithms]: [base64:q83vEjRW eJASNFZ4 kKvN7w==] (from settings given in code)"));
        assertEquals("[base64:****]", SecretKeys.hidden("[base64:q83vEjRWeJASNFZ4kKvN7wgyysQYtT\nboRXgksPhoaBFA==]"));
        assertEquals("[base64:****]", SecretKeys.hidden("[base64:q83vEjRWeJASNFZ4kKvN7wgyysQYtT\\u000aboRXgksPhoaBFA==]"));
        assertEquals("jwt.issuer=base64:****, realm=jwtgate",
                SecretKeys.hidden("jwt.issuer=base64:q83vEjRW eJASNFZ4 kKvN7w==, realm=jwtgate"));
    }

    @Test
    void whenTwoSecretsFollowEachOtherThenEachIsMasked() {
        assertEquals("[base64:**** base64:****]",
                SecretKeys.hidden("[base64:q83vEjRWeJASNFZ4kKvN7w== base64:gyysQYtTboRXgksPhoaBFA==]"));
        assertEquals("[base64:x base64:****]", SecretKeys.hidden("[base64:x base64:gyysQYtTboRXgksPhoaBFA==]"));
        assertEquals("[base64:****\nbase64:****]",
                SecretKeys.hidden("[base64:q83vEjRWeJASNFZ4kKvN7w\nbase64:gyysQYtTboRXgksPhoaBFA]"));
    }

    @Test
    void whenWordsFollowASecretThenTheyStay() {
        assertEquals("the value base64:**** is not valid for jwt.algorithms",
                SecretKeys.hidden("the value base64:q83vEjRWeJASNFZ4kKvN7wxy is not valid for jwt.algorithms"));
        assertEquals("Revoked every token of sub=base64:abcdefgh issued up to 2026-12-06T04:32:11Z",
                SecretKeys.hidden("Revoked every token of sub=base64:abcdefgh issued up to 2026-12-06T04:32:11Z"));
        assertEquals("base64:abc is not valid base64 text here", SecretKeys.hidden("base64:abc is not valid base64 text here"));
    }

    @Test
    void whenTheSecretStartsAfterSpaceOrALineBreakThenItIsMasked() {
        assertEquals("[base64:****]", SecretKeys.hidden("[base64: AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=]"));
        assertEquals("realm=base64:****, x=1", SecretKeys.hidden("realm=base64:\n  AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=, x=1"));
        assertEquals("[base64:****]", SecretKeys.hidden("[base64:\\u000a  AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=]"));
        assertEquals("the prefix base64: must be written in lower case",
                SecretKeys.hidden("the prefix base64: must be written in lower case"));
    }

    @Test
    void whenTheSecretIsGroupedThenAllOfItIsMasked() {
        assertEquals("[base64:****]", SecretKeys.hidden("[base64:AQID BAUG BwgJ CgsM DQ4P EBES ExQV FhcY GRob HB0e HyA=]"));
        assertEquals("[base64:****] (from x)", SecretKeys.hidden("[base64:AQIDBAUG BwgJCgsM DQ4PEBES ExQVFhcY GRobHB0e HyA] (from x)"));
        assertEquals("base64:****", SecretKeys.hidden("base64:****"), "masked once stays as it is");
    }

    @Test
    void whenTextHoldsNoSecretThenItIsUnchanged() {
        for (String text : new String[] {"for a binary key, write base64: and its base64 in the file",
            "base64:short", "jwt.secret=****", "base64:q83vEjRWeJASNFZ", "[base64:q83v eJAS NFZ4] (from x)"}) {
            assertEquals(text, SecretKeys.hidden(text));
        }
        assertNull(SecretKeys.hidden(null));
    }

    @Test
    void whenABase64SecretLostItsLastCharactersThenItIsRefusedNotTakenAsAnotherKey() {
        // 48 bytes (gen-secret --bits 384) are 64 characters without padding; one or two lost in a copy leave a last
        // character holding bits no byte uses, which java.util.Base64 dropped: 47 or 46 bytes of another key, which
        // pass HS256's 32-byte minimum, and every token was then refused with nothing said at start-up.
        byte[] key = new byte[48];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (17 + i);
        }
        String full = Base64.getEncoder().encodeToString(key); // ends "Pj9A"
        assertArrayEquals(key, SecretKeys.decode("base64:" + full));
        for (String cut : new String[] {full.substring(0, 63), full.substring(0, 62)}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> SecretKeys.decode("base64:" + cut));
            assertEquals("the base64: value is not valid base64: its last character holds bits no byte uses (was it cut"
                    + " short?)", refused.getMessage());
        }
        String urlSafe = Base64.getUrlEncoder().encodeToString(new byte[] {-5, -17, -1, 1, 2, 3, 4, 5, 64});
        assertEquals("--__AQIDBAVA", urlSafe);
        assertEquals("the base64: value is not valid base64: its last character holds bits no byte uses (was it cut"
                + " short?)", assertThrows(IllegalArgumentException.class,
                        () -> SecretKeys.decode("base64:--__AQIDBAV")).getMessage());

        Map<String, String> settings = new HashMap<>(JwtGateConfigTest.valid());
        settings.put(ConfigKeys.JWT_SECRET, "base64:" + full.substring(0, 63));
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings)).getMessage();
        assertTrue(message.startsWith("Invalid setting [jwt.secret]") && message.contains("was it cut short?"), message);
        assertFalse(message.contains(full.substring(0, 8)), "the message never holds the value: " + message);
    }

    @Test
    void whenABase64SecretIsCanonicalThenPaddingWrappingAndEitherAlphabetAreTaken() {
        byte[] sixteen = Base64.getDecoder().decode("q83vEjRWeJASNFZ4kKvN7w==");
        assertArrayEquals(sixteen, SecretKeys.decode("base64:q83vEjRWeJASNFZ4kKvN7w=="));
        assertArrayEquals(sixteen, SecretKeys.decode("base64:q83vEjRWeJASNFZ4kKvN7w"));
        assertArrayEquals(sixteen, SecretKeys.decode("base64:q83vEjRW\n  eJASNFZ4kKvN7w=="));
        byte[] bytes = {-5, -17, -1, 1, 2, 3, 4, 5};
        assertArrayEquals(bytes, SecretKeys.decode("base64:" + Base64.getUrlEncoder().encodeToString(bytes)));
        assertArrayEquals(bytes, SecretKeys.decode("base64:" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
    }
}
