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
    void whenTextHoldsNoSecretThenItIsUnchanged() {
        for (String text : new String[] {"for a binary key, write base64: and its base64 in the file",
            "base64:short", "jwt.secret=****", "base64:q83vEjRWeJASNFZ"}) {
            assertEquals(text, SecretKeys.hidden(text));
        }
        assertNull(SecretKeys.hidden(null));
    }
}
