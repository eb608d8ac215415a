package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * What a configuration fuzzer found (62,294 configurations, seeds 20240917 and 7): values that made the start fail with
 * another exception than {@link ConfigurationException}, take seconds, or write a message of several lines or 100,000
 * characters. Each is refused at once, in one bounded line, naming the setting.
 */
class HostileSettingsTest {

    /** Well above what a parse takes; the quadratic ones took 6 to 15 s at these lengths. */
    private static final Duration AT_ONCE = Duration.ofSeconds(3);

    @TempDir
    Path directory;

    private static Map<String, String> with(String... keysAndValues) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    private static String refused(Map<String, String> settings) {
        return assertTimeoutPreemptively(AT_ONCE,
                () -> assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings)).getMessage());
    }

    /** A regular expression's repeated group recursed once a dotted segment: StackOverflowError at start-up. */
    @Test
    void whenAClaimOrAKeyHasThousandsOfDotsThenItIsRefusedOrTakenNotAStackOverflow() {
        String dotted = "a" + ".b".repeat(6000);
        assertTrue(refused(with(ConfigKeys.CLAIMS_PRINCIPAL, dotted)).contains("[" + ConfigKeys.CLAIMS_PRINCIPAL + "]"));
        assertTrue(refused(with(ConfigKeys.JWT_REQUIRED_CLAIMS, "sub,jti," + dotted))
                .contains("[" + ConfigKeys.JWT_REQUIRED_CLAIMS + "]"));
        assertEquals(dotted, assertTimeoutPreemptively(AT_ONCE,
                () -> JwtGateConfig.of(with(ConfigKeys.CLAIMS_ROLES, dotted)).token().rolesClaim()), "a path it is");
        String unknown = refused(with("x" + ".y".repeat(6000), "1"));
        assertTrue(unknown.startsWith("Unknown setting [x.y.y"), unknown);
    }

    @Test
    void whenAValueIsTensOfThousandsOfCharactersThenItIsRefusedAtOnceInABoundedMessage() {
        for (Map<String, String> settings : java.util.List.of(
                withJwks("x".repeat(40_000)),
                withJwks("https://" + "@".repeat(100_000) + "/x"),
                with(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "9".repeat(100_000)))) {
            String message = refused(settings);
            assertTrue(message.length() <= 1_100, () -> message.length() + ": " + message.substring(0, 200));
        }
        // One pattern holding spaces (no second one begins after them): taken, at once, not in 15 s.
        assertTimeoutPreemptively(AT_ONCE,
                () -> JwtGateConfig.of(with(ConfigKeys.PATHS_EXCLUDE, "/a" + " ".repeat(40_000) + "b")));
    }

    /** Keys from the URL only, so that the URL itself is judged (and shown, masked, in the message). */
    private static Map<String, String> withJwks(String uri) {
        Map<String, String> settings = with(ConfigKeys.JWT_JWKS_URI, uri);
        settings.remove(ConfigKeys.JWT_SECRET);
        return settings;
    }

    /** A value's line break went into the message as is: one log record read as two, the second forged by the value. */
    @Test
    void whenAValueHoldsALineBreakThenTheMessageIsOneLine() {
        String message = refused(with(ConfigKeys.PATHS_EXCLUDE, "/a\n/b"));
        assertFalse(message.contains("\n"), message);
        assertTrue(message.contains("/a\\u000a/b"), message);
        String key = refused(with("jwt.\nissuer", "x"));
        assertFalse(key.contains("\n"), key);
    }

    /** An init-param, the builder or a system property can hold a lone surrogate: no character, and no issuer matches. */
    @Test
    void whenAValueHoldsALoneSurrogateThenItIsRefusedByPosition() {
        String message = refused(with(ConfigKeys.JWT_ISSUER, "https://issuer\ud800"));
        assertTrue(message.contains("[" + ConfigKeys.JWT_ISSUER + "]") && message.contains("U+D800 at position 15"),
                message);
    }

    /** Accepted before, they failed only when the store connected: no resolver takes them. */
    @Test
    void whenARedisNodeNamesNoPossibleHostThenItIsRefusedAtStart() {
        for (String node : java.util.List.of("[:]:6379", "a..b:6379", "1.2.3.999:6379", "1.2.3:6379", "1.2.3.4.:6379",
                "redis-.internal:6379", "-redis.internal:6379",
                "a".repeat(64) + ".example:6379", ("a".repeat(60) + ".").repeat(5) + "example:6379")) {
            String message = assertThrows(ConfigurationException.class, () -> RedisNode.parseList(node), node).getMessage();
            assertTrue(message.contains("[" + ConfigKeys.REDIS_NODES + "]") && message.contains("has no valid host"),
                    message);
        }
        for (String node : java.util.List.of("[::1]:6379", "[::ffff:127.0.0.1]:6379", "10.0.0.1:6379",
                "[fe80::1%ens5]:6379", "123456789012:6379",
                "redis-0.redis.svc.cluster.local.:6379", "a".repeat(63) + ".example:6379", "2a.example:6379")) {
            assertEquals(1, RedisNode.parseList(node).size(), node);
        }
    }

    @Test
    void whenASettingHasNoNameThenItIsRefusedNotANullPointer() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(null, "x");
        assertTrue(refused(settings).startsWith("A setting without a name"));
    }

    /** The rest of a secret written on two lines was named as an unknown setting ("staple.words.here"). */
    @Test
    void whenALineOfThePropertiesFileHasNoValueThenItIsNotShown() throws IOException {
        String message = refusedWithPropertiesFile("jwt.secret=correct-horse-battery\nstaple.words.here\n",
                ConfigKeys.JWT_SECRET);
        assertFalse(message.contains("staple") || message.contains("words"), message);
        assertTrue(message.startsWith("Unknown setting in properties file " + propertiesFile()), message);
        // A typo of a name left empty is still told what it resembles.
        String typo = refusedWithPropertiesFile("jwt.isuer=\n");
        assertTrue(typo.endsWith("did you mean [jwt.issuer]?"), typo);
    }

    /** A line repeated in the rest of a value written on several lines was named as a setting given twice. */
    @Test
    void whenALineWithoutAValueIsRepeatedThenItIsNotShown() throws IOException {
        String message = refusedWithPropertiesFile("redis.password=correct-horse\nstaple-words\nbattery\nstaple-words\n");
        assertFalse(message.contains("staple") || message.contains("battery"), message);
        assertTrue(message.startsWith("Unknown setting in properties file " + propertiesFile()), message);
        // A repeated unknown name with a value is named once, as unknown.
        String typo = refusedWithPropertiesFile("jwt.isuer=a\njwt.isuer=b\n");
        assertTrue(typo.startsWith("Unknown setting [jwt.isuer]"), typo);
    }

    private Path propertiesFile() {
        return directory.resolve("jwtgate.properties");
    }

    /** The refusal of the test settings with {@code config.file} holding {@code text}, less the {@code removed} keys. */
    private String refusedWithPropertiesFile(String text, String... removed) throws IOException {
        Files.writeString(propertiesFile(), text);
        Map<String, String> settings = with(ConfigKeys.CONFIG_FILE, propertiesFile().toString());
        for (String key : removed) {
            settings.remove(key);
        }
        return refused(settings);
    }

    /** Cut in the middle of the message: never inside an escape or between the halves of a surrogate pair. */
    @Test
    void whenALongMessageIsCutThenNoEscapeOrSurrogatePairIsSplit() {
        for (int shift = 0; shift < 8; shift++) {
            String message = ConfigurationException.oneLine("x".repeat(695 + shift) + "\n\uD83D\uDE00" + "y".repeat(2000)
                    + "\n\uD83D\uDE00" + "z".repeat(300 - shift));
            for (int i = message.indexOf("\\u"); i >= 0; i = message.indexOf("\\u", i + 1)) {
                assertTrue(i + 6 <= message.length() && message.substring(i + 2, i + 6).matches("[0-9a-f]{4}"),
                        "an escape cut at " + i + ": " + message);
            }
            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                assertFalse(Character.isHighSurrogate(c) && (i + 1 == message.length()
                        || !Character.isLowSurrogate(message.charAt(i + 1))), "a lone half at " + i + ": " + message);
                assertFalse(Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(message.charAt(i - 1))),
                        "a lone half at " + i + ": " + message);
            }
        }
    }
}
