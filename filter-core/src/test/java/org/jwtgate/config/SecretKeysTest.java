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
}
