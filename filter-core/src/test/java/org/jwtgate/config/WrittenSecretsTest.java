package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Secrets as jwt.secret takes them (wrapped, split by hand, grouped), found whole in messages and values. */
class WrittenSecretsTest {

    private static final String B = Base64.getEncoder().encodeToString(bytes(96)); // 128 characters

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void prefixedValueFoldedAt64IsMaskedWhole() {
        String folded = ("base64:" + B).substring(0, 64) + "\n" + ("base64:" + B).substring(64, 128) + "\n"
                + ("base64:" + B).substring(128);
        assertEquals(96, SecretKeys.decode(folded).length);
        String out = SecretKeys.hidden("Illegal value for option [--exp]: [" + folded + "]; expected");
        assertFalse(out.contains(B.substring(80, 100)), out);
    }

    @Test
    void handSplitWebXmlValueIsMaskedWhole() {
        String value = "base64:" + B.substring(0, 20) + "\n        " + B.substring(20, 84) + "\n        " + B.substring(84);
        assertEquals(96, SecretKeys.decode(value).length);
        String out = SecretKeys.hidden("[" + value + "]");
        assertFalse(out.contains(B.substring(30, 50)), out);
    }

    @Test
    void groupedAfterASpaceIsMasked() {
        String value = "base64: " + B.substring(0, 44).replaceAll("(.{4})", "$1 ").trim();
        assertEquals(33, SecretKeys.decode(value).length);
        String out = SecretKeys.hidden("[" + value + "]");
        assertFalse(out.contains(B.substring(0, 4) + " " + B.substring(4, 8)), out);
    }

    @Test
    void groupedSecretAsRealmIsRefusedNotPrinted() {
        String value = "base64: " + B.substring(0, 44).replaceAll("(.{4})", "$1 ").trim();
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.REALM, value);
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings)).getMessage();
        assertFalse(message.contains(B.substring(0, 4) + " " + B.substring(4, 8)), message);
    }

    @Test
    void wordsAfterASecretAtTheEndOfASentenceStay() {
        assertEquals("value base64:**** given.", SecretKeys.hidden("value base64:" + B.substring(0, 16) + " given."));
        assertEquals("[base64:****\njwt.issuer=x]", SecretKeys.hidden("[base64:" + B.substring(0, 44) + "\njwt.issuer=x]"));
    }

    @Test
    void formFeedSeparatedSecretIsMaskedWhole() {
        String value = "base64:" + B.substring(0, 44) + "\f" + B.substring(44, 88);
        assertEquals(66, SecretKeys.decode(value).length);
        String out = SecretKeys.hidden("[" + value + "]");
        assertFalse(out.contains(B.substring(50, 70)), out);
    }

    @Test
    void wordAfterASecretStays() {
        String out = SecretKeys.hidden("[base64:" + B.substring(0, 44) + " jwt.issuer]");
        assertEquals("[base64:**** jwt.issuer]", out);
    }

    @Test
    void textEndsDoNotThrow() { // the assertion: no exception
        for (String s : new String[] {"base64:", "xbase64:", "base64:\\", "base64:" + B.substring(0, 16) + "\\",
                "base64:" + B.substring(0, 16) + " \\u000", "base64:" + B.substring(0, 16) + "\\u000a", "BASE64:="}) {
            SecretKeys.hidden(s);
        }
    }

    @Test
    void configurationExceptionMessageIsDamagedNot() {
        String out = new ConfigurationException("x [base64:" + B.substring(0, 64) + "\n" + B.substring(64, 88) + "\n] y").getMessage();
        assertFalse(out.contains(B.substring(64, 88)), out);
    }
}
