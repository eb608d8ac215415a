package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The comma lists are described once, by {@link ConfigKeys}: the loader compares their values by their items (a
 * JVM-wide {@code " a , b "} replaces nothing of an application's {@code a,b}), and {@link JwtGateConfig} can read no
 * other setting as a list ({@link SettingParser#list} refuses it), so a list setting added later cannot miss either.
 */
class SettingsLoaderListsTest {

    static Stream<String> listSettings() {
        return ConfigKeys.all().stream().filter(ConfigKeys::isList);
    }

    @Test
    void theCommaListsAreTheFiveKnown() {
        assertEquals(Set.of(ConfigKeys.JWT_ALGORITHMS, ConfigKeys.JWT_AUDIENCE, ConfigKeys.JWT_REQUIRED_CLAIMS,
                        ConfigKeys.DPOP_ALGORITHMS, ConfigKeys.REDIS_NODES),
                listSettings().collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("listSettings")
    void everyListSettingOfConfigKeysIsComparedAsAList(String key) {
        assertEquals(List.of("a:1", "b:2"), SettingsLoader.asRead(key, " a:1 ,, b:2 "));
        assertEquals(SettingsLoader.asRead(key, "a:1,b:2"), SettingsLoader.asRead(key, " a:1 , b:2"));
        assertTrue(load(key, "a:1,b:2", " a:1 , b:2 ").jvmWideOverridesWarning().isEmpty(),
                "the same items replace nothing: " + key);
        assertTrue(load(key, "a:1,b:2", "b:2,a:1").jvmWideOverridesWarning().orElseThrow().contains("[" + key + "]"),
                key);
    }

    @Test
    void aTextSettingThatIsNoListIsComparedAsItsText() {
        assertFalse(ConfigKeys.isList(ConfigKeys.JWT_ISSUER));
        assertEquals("a:1 , b:2", SettingsLoader.asRead(ConfigKeys.JWT_ISSUER, " a:1 , b:2 "));
        assertTrue(load(ConfigKeys.JWT_ISSUER, "a:1,b:2", " a:1 , b:2 ").jvmWideOverridesWarning().orElseThrow()
                .contains("[" + ConfigKeys.JWT_ISSUER + "]"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("settingsThatAreNoList")
    void noOtherSettingCanBeReadAsAList(String key) {
        SettingParser parser = new SettingParser(new Settings(Map.of(key, "a,b"), Map.of(key, "test"), "test",
                List.of()));
        String message = assertThrows(IllegalStateException.class, () -> parser.list(key)).getMessage();
        assertEquals("Setting [" + key + "] is read as a comma list, but ConfigKeys does not describe it as one",
                message);
    }

    static Stream<String> settingsThatAreNoList() {
        return ConfigKeys.all().stream().filter(key -> !ConfigKeys.isList(key));
    }

    /** The application's own {@code value}, and the environment variable's {@code jvmWide}. */
    private static Settings load(String key, String value, String jvmWide) {
        return SettingsLoader.load(Map.of(key, value),
                ConfigSources.of(Map.of(ConfigKeys.environmentName(key), jvmWide), Map.of()));
    }
}
