package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Review of 7cb0ae49: what the WARN masks, as the start-up line does (passes). */
class ReviewJvmWideOverridesMaskingTest {

    private static String warning(Map<String, String> own, Map<String, String> env) {
        return SettingsLoader.load(own, ConfigSources.of(env, Map.of())).jvmWideOverridesWarning().orElseThrow();
    }

    @Test
    void secretsPemsUrlCredentialsRedisCredentialsAndWrittenSecretsAreNotShown() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
        String w = warning(Map.of(ConfigKeys.JWT_PUBLIC_KEY, pem, ConfigKeys.JWT_ISSUER,
                        "https://i"), Map.of("JWTGATE_JWT_PUBLIC_KEY", "/etc/k.pem", "JWTGATE_JWT_ISSUER", "https://j"));
        assertFalse(w.contains("MIIEvQ") || w.contains("\n"), w);
        w = warning(Map.of(ConfigKeys.JWT_JWKS_URI, "https://u:pw1@idp/jwks?api_key=k3y#frag"),
                Map.of("JWTGATE_JWT_JWKS_URI", "https://idp/jwks?api_key=k4y"));
        assertFalse(w.contains("pw1") || w.contains("k3y") || w.contains("k4y") || w.contains("frag"), w);
        w = warning(Map.of(ConfigKeys.REDIS_NODES, "redis://user:pa,ss@h1:6379,h2:6379"),
                Map.of("JWTGATE_REDIS_NODES", "rediss://u:secr3t@h3:6379"));
        assertFalse(w.contains("pa,ss") || w.contains("ss@") || w.contains("secr3t"), w);
        w = warning(Map.of(ConfigKeys.REDIS_PASSWORD, "${file:/run/secrets/a}", ConfigKeys.DPOP_NONCE_SECRET, "x-own-1234567890"),
                Map.of("JWTGATE_REDIS_PASSWORD", "hunter2-redis", "JWTGATE_DPOP_NONCE_SECRET", "y-env-1234567890"));
        assertFalse(w.contains("hunter2") || w.contains("/run/secrets") || w.contains("x-own") || w.contains("y-env"), w);
        w = warning(Map.of(ConfigKeys.REALM, "base64:c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"), Map.of("JWTGATE_REALM", "api"));
        assertFalse(w.contains("c2VjcmV0"), w);
        w = warning(Map.of(ConfigKeys.REALM, "a\nb\u202e"), Map.of("JWTGATE_REALM", "api"));
        assertFalse(w.contains("\n") || w.contains("\u202e"), w);
    }
}
