package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        assertEquals("[base64:****]", SecretKeys.hidden("[base64:q83vEjRWeJASNFZ4kKvN7w\ngyysQYtTboRXgksPhoaBFA==]"));
        assertEquals("[base64:****]", SecretKeys.hidden("[base64:q83vEjRWeJASNFZ4kKvN7w\\u000agyysQYtTboRXgksPhoaBFA==]"));
        assertEquals("jwt.issuer=base64:****, realm=jwtgate",
                SecretKeys.hidden("jwt.issuer=base64:q83vEjRW eJASNFZ4 kKvN7w==, realm=jwtgate"));
    }

    @Test
    void whenTextHoldsNoSecretThenItIsUnchanged() {
        for (String text : new String[] {"for a binary key, write base64: and its base64 in the file",
            "base64:short", "jwt.secret=****", "base64:q83vEjRWeJASNFZ", "[base64:q83v eJAS NFZ4] (from x)"}) {
            assertEquals(text, SecretKeys.hidden(text));
        }
        assertNull(SecretKeys.hidden(null));
    }
}
