package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.process.BoundedCommands;

/**
 * How the sample signs: with a key pair made by docs/sample.md's openssl commands (RS256, ES256,
 * EdDSA), with JWTGATE_JWT_SECRET (HS256), and the start-up errors of a half or mismatched pair.
 */
class SigningKeyIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "ed25519, EdDSA",
        "EC -pkeyopt ec_paramgen_curve:P-256, ES256",
        "RSA -pkeyopt rsa_keygen_bits:2048, RS256"})
    void whenKeyPairConfiguredThenTokensAreSignedWithItAndAccepted(String openssl, String algorithm) throws Exception {
        KeyPairFiles keys = generate(openssl);
        try (RunningSample app = RunningSample.start(REDIS.cluster(), Map.of(
                "SAMPLE_SIGNING_KEY", keys.privateKey().toString(),
                "JWTGATE_JWT_PUBLIC_KEY", keys.publicKey().toString(),
                "SAMPLE_DEMO_ACCOUNTS", "true"))) {
            HttpAnswer login = app.client().loggedIn("alice", "wonderland");
            String access = login.string("access_token");
            assertEquals(algorithm, RunningSample.decode(access, 0).get("alg"));
            assertEquals(200, app.client().get("/api/me", "Authorization", "Bearer " + access).status());
        }
    }

    @Test
    void whenSecretConfiguredThenTokensAreHs256WithThatSecret() throws Exception {
        String secret = "a-secret-of-at-least-thirty-two-bytes!";
        try (RunningSample app = RunningSample.start(REDIS.cluster(), Map.of("JWTGATE_JWT_SECRET", secret))) {
            String access = app.client().loggedIn("bob", "builder").string("access_token");
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(access);
            jws.setKey(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertTrue(jws.verifySignature());
            assertEquals("HS256", jws.getAlgorithmHeaderValue());
        }
    }

    @Test
    void whenPrivateKeyHasNoPublicKeyThenStartFailsNamingTheSetting() throws Exception {
        KeyPairFiles keys = generate("ed25519");
        Exception e = assertThrows(Exception.class, () -> RunningSample.start(REDIS.cluster(),
                Map.of("SAMPLE_SIGNING_KEY", keys.privateKey().toString())).close());
        assertTrue(messages(e).contains("[jwt.public-key]"), messages(e));
    }

    @Test
    void whenKeysDoNotMatchThenStartFailsNamingBothSettings() throws Exception {
        KeyPairFiles one = generate("ed25519");
        KeyPairFiles other = generate("ed25519");
        Exception e = assertThrows(Exception.class, () -> RunningSample.start(REDIS.cluster(), Map.of(
                "SAMPLE_SIGNING_KEY", one.privateKey().toString(),
                "JWTGATE_JWT_PUBLIC_KEY", other.publicKey().toString())).close());
        assertTrue(messages(e).contains("[SAMPLE_SIGNING_KEY] does not match [jwt.public-key]"), messages(e));
    }

    private record KeyPairFiles(Path privateKey, Path publicKey) {
    }

    /** docs/sample.md's two commands: openssl genpkey, then openssl pkey -pubout. */
    private KeyPairFiles generate(String algorithmArguments) throws Exception {
        Path key = dir.resolve("signing-key-" + System.nanoTime() + ".pem");
        Path pub = dir.resolve(key.getFileName() + ".pub.pem");
        List<String> genpkey = new java.util.ArrayList<>(List.of("openssl", "genpkey", "-algorithm"));
        genpkey.addAll(List.of(algorithmArguments.split(" ")));
        genpkey.addAll(List.of("-out", key.toString()));
        run(genpkey);
        run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString()));
        return new KeyPairFiles(key, pub);
    }

    private static void run(List<String> command) throws Exception {
        BoundedCommands.Finished finished = BoundedCommands.run(new ProcessBuilder(command), Duration.ofSeconds(60));
        assertEquals(0, finished.exitValue(), command + ": " + finished.output());
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
