package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of 7cb0ae49's start-up WARN for JVM-wide values replacing an application's own: what it says when the two
 * values are the same setting in force, when the JVM-wide value comes through a JVM-wide config.file, and what of an
 * own value (never validated, never shown before) it prints.
 */
class ReviewJvmWideOverridesTest {

    @TempDir
    Path directory;

    private static Settings load(Map<String, String> initParams, Map<String, String> env, Map<String, String> sys) {
        return SettingsLoader.load(initParams, ConfigSources.of(env, sys));
    }

    /** A list is read trimmed and split at commas: "RS256, ES256" and "RS256,ES256" are one setting in force. */
    @Test
    void whenAJvmWideListDiffersOnlyInSpacesAfterCommasThenNoWarning() {
        Settings settings = load(Map.of(ConfigKeys.JWT_ALGORITHMS, "RS256, ES256"),
                Map.of("JWTGATE_JWT_ALGORITHMS", "RS256,ES256"), Map.of());
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""),
                "the same algorithms in force; the WARN tells the operator to remove a setting that changes nothing");
    }

    /** Booleans and choices are read case-insensitively: TRUE and true are one setting in force. */
    @Test
    void whenAJvmWideValueDiffersOnlyInCaseOfABooleanOrAChoiceThenNoWarning() {
        Settings settings = load(Map.of(ConfigKeys.METRICS_JMX, "true", ConfigKeys.REVOCATION_FAILURE_MODE, "closed"),
                Map.of("JWTGATE_METRICS_JMX", "TRUE"), Map.of("jwtgate.revocation.failure-mode", "CLOSED"));
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
    }

    /** The application's own value is a reference whose expansion is the JVM-wide value: nothing was replaced. */
    @Test
    void whenTheOwnValueIsAReferenceExpandingToTheJvmWideValueThenNoWarning() {
        Settings settings = load(Map.of(ConfigKeys.JWT_ISSUER, "${env:SHOP_ISSUER}"),
                Map.of("SHOP_ISSUER", "https://login.example", "JWTGATE_JWT_ISSUER", "https://login.example"), Map.of());
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
    }

    /** For a secret the WARN asserts "the values differ" of two values that are the same secret. */
    @Test
    void whenASecretsOwnReferenceExpandsToTheJvmWideSecretThenTheWarningDoesNotSayTheyDiffer() {
        String secret = "0123456789abcdef0123456789abcdef";
        Settings settings = load(Map.of(ConfigKeys.JWT_SECRET, "${env:SHOP_SECRET}"),
                Map.of("SHOP_SECRET", secret, "JWTGATE_JWT_SECRET", secret), Map.of());
        assertEquals(secret, settings.get(ConfigKeys.JWT_SECRET));
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
    }

    /**
     * JWTGATE_CONFIG_FILE applies to every application of the JVM as any JWTGATE_* variable does: the shared file's
     * redis.key-prefix replaces each application's init-param, the very case the WARN was added for, with nothing said.
     */
    @Test
    void whenAJvmWideConfigFileReplacesAnInitParamThenTheWarningNamesIt() throws IOException {
        Path shared = Files.writeString(directory.resolve("shared.properties"), "redis.key-prefix=shared:\n");
        Settings settings = load(Map.of(ConfigKeys.REDIS_KEY_PREFIX, "shop:"),
                Map.of("JWTGATE_CONFIG_FILE", shared.toString()), Map.of());
        assertEquals("shared:", settings.get(ConfigKeys.REDIS_KEY_PREFIX), "the documented precedence");
        String warning = settings.jvmWideOverridesWarning().orElse("(no warning)");
        assertTrue(warning.contains("[redis.key-prefix]"), warning);
    }

    /**
     * An own jwt.public-key that is no PEM (a JWK pasted, its private "d" with it) is shown whole in the WARN. In force,
     * the same value's refusal shows nothing of it ("value not shown"): the WARN prints a value no line printed before.
     */
    @Test
    void whenAnOwnPublicKeyThatIsNoPemIsReplacedThenTheWarningDoesNotShowIt() {
        String privateD = "hTbB9QpW1ZpTq8fK3rS0nXyLmA4dEfGhIjKlMnOpQrS";
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\",\"d\":\"" + privateD + "\"}";
        String message = org.junit.jupiter.api.Assertions.assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.from(load(Map.of(ConfigKeys.JWT_PUBLIC_KEY, jwk), Map.of(), Map.of()))).getMessage();
        assertFalse(message.contains(privateD), "in force, its refusal hides it: " + message);

        Settings settings = load(Map.of(ConfigKeys.JWT_PUBLIC_KEY, jwk),
                Map.of("JWTGATE_JWT_PUBLIC_KEY", "/etc/jwtgate/idp.pem"), Map.of());
        String warning = settings.jvmWideOverridesWarning().orElseThrow();
        assertFalse(warning.contains(privateD), warning);
    }

    /**
     * The same PEM, in web.xml with its line breaks and in an environment variable with them written as the two
     * characters \\n (which jwt.public-key reads as line breaks, for .env and JSON values): one key in force. The WARN
     * says "[<inline PEM>] replaces [<inline PEM>]", which tells the operator nothing but to remove one of them.
     */
    @Test
    void whenTheJvmWidePemIsTheOwnPemWithEscapedLineBreaksThenNoWarning() {
        String pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV7\n"
                + "6e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==\n-----END PUBLIC KEY-----";
        Settings settings = load(Map.of(ConfigKeys.JWT_PUBLIC_KEY, pem),
                Map.of("JWTGATE_JWT_PUBLIC_KEY", pem.replace("\n", "\\n")), Map.of());
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
    }
}
