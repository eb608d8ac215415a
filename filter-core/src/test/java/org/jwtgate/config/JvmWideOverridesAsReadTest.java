package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM-wide-overrides WARN compares the application's own (replaced, otherwise unused) value
 * "as read" (asRead), expanding its references and running the settings' parsers on it. Nothing about that value may
 * fail or hang the start: before 8fd7b53d it was compared as written, never parsed.
 */
class JvmWideOverridesAsReadTest {

    @TempDir
    Path directory;

    private static Settings load(Map<String, String> initParams, Map<String, String> env) {
        return SettingsLoader.load(initParams, ConfigSources.of(env, Map.of()));
    }

    /**
     * An own paths.roles whose role is long and starts with '/' (a group path): PathRules' SECOND_RULE regex recursed
     * per character and threw StackOverflowError, an Error that asRead's catch (RuntimeException) let through (a
     * review's find); the regex now recurses only at commas. The value in force is parsed the same way.
     */
    @Test
    void anOwnPathsRolesWithALongGroupPathRoleDoesNotFailTheStart() {
        String own = "/admin/*=/" + "g".repeat(20_000);
        Settings settings = assertDoesNotThrow(() -> load(Map.of(ConfigKeys.PATHS_ROLES, own),
                Map.of("JWTGATE_PATHS_ROLES", "/admin/*=admin")));
        assertTrue(settings.jvmWideOverridesWarning().isPresent());
        assertDoesNotThrow(() -> PathRules.parseRoleRules(own), "the same rule in force");
    }

    @Test
    void ownReferencesThatCannotBeReadCountAsAnotherValueAndNeitherHangNorFail() throws Exception {
        Path fifo = directory.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor() == 0, "mkfifo made the named pipe");
        for (String own : new String[] {"${file:" + fifo + "}", "${file:" + directory.resolve("missing") + "}",
                "${file:" + directory + "}", "${env:REVIEW_UNSET}", "${file:/dev/zero}", "${file:/dev/stdin}"}) {
            Settings settings = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> load(Map.of(ConfigKeys.REDIS_KEY_PREFIX, own), Map.of("JWTGATE_REDIS_KEY_PREFIX", "shared")));
            String warning = settings.jvmWideOverridesWarning().orElseThrow();
            assertTrue(warning.contains("[redis.key-prefix] from environment variable JWTGATE_REDIS_KEY_PREFIX"), warning);
            assertFalse(warning.contains("shared"), warning);
        }
    }

    @Test
    void anOwnPublicKeyPathThatIsADirectoryCountsAsAnotherValue() {
        Settings settings = load(Map.of(ConfigKeys.JWT_PUBLIC_KEY, directory.toString()),
                Map.of("JWTGATE_JWT_PUBLIC_KEY", directory.resolve("nothing.pem").toString()));
        assertTrue(settings.jvmWideOverridesWarning().orElseThrow().contains("[jwt.public-key]"));
    }

    @Test
    void fourHundredRoleRulesCompareQuicklyAndRuleOrderCounts() {
        String rules = IntStream.range(0, 400).mapToObj(i -> "/area" + i + "/*=role" + i + "|admin")
                .collect(Collectors.joining(";"));
        String reordered = IntStream.range(0, 400).mapToObj(i -> "/area" + (399 - i) + "/*=role" + (399 - i) + "|admin")
                .collect(Collectors.joining(";"));
        Settings same = assertTimeoutPreemptively(Duration.ofSeconds(3),
                () -> load(Map.of(ConfigKeys.PATHS_ROLES, rules), Map.of("JWTGATE_PATHS_ROLES", rules)));
        assertTrue(same.jvmWideOverridesWarning().isEmpty(), "identical text");
        String three = "/a/*=x|admin;/b/*=y|admin;/c/*=z";
        assertTrue(load(Map.of(ConfigKeys.PATHS_ROLES, three), Map.of("JWTGATE_PATHS_ROLES", "/a/*=admin|x ; /b/*=y|admin;/c/*=z"))
                .jvmWideOverridesWarning().isEmpty(), "three rules, spaces and role order");
        assertTrue(load(Map.of(ConfigKeys.PATHS_ROLES, rules), Map.of("JWTGATE_PATHS_ROLES", rules.replace(";", " ; ")))
                .jvmWideOverridesWarning().isEmpty(), "400 rules, spaces around ';'");
        String warning = load(Map.of(ConfigKeys.PATHS_ROLES, rules), Map.of("JWTGATE_PATHS_ROLES", reordered))
                .jvmWideOverridesWarning().orElseThrow();
        assertTrue(warning.length() < 600, warning);
        assertFalse(warning.contains("/area"), warning);
    }

    @Test
    void audienceCaseAndUrlCredentialsAreNotHiddenNorShown() {
        assertTrue(load(Map.of(ConfigKeys.JWT_AUDIENCE, "API-A"), Map.of("JWTGATE_JWT_AUDIENCE", "api-a"))
                .jvmWideOverridesWarning().isPresent());
        String warning = load(Map.of(ConfigKeys.JWT_JWKS_URI, "https://u:pw1@idp.example/jwks"),
                Map.of("JWTGATE_JWT_JWKS_URI", "https://u:pw2@idp.example/jwks?key=k")).jvmWideOverridesWarning().orElseThrow();
        assertFalse(warning.contains("pw") || warning.contains("idp.example") || warning.contains("key=k"), warning);
    }
}
