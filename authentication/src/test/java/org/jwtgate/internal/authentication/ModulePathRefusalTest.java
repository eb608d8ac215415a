package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.testkit.tokens.TestTokens;

/** The module uses no paths.* key, and says so first, whatever the filter would refuse them for (a review's find). */
class ModulePathRefusalTest {

    @Test
    void jvmWidePathSettingsAreRefusedAsNotUsedNotAsAnExclusionToNarrow() {
        String message = assertThrows(ConfigurationException.class, () -> ModuleSettings.load(TestTokens.settings(),
                ModuleSettings.CONTEXT_PARAM, ConfigSources.of(Map.of("JWTGATE_PATHS_EXCLUDE", "/api/*",
                        "JWTGATE_PATHS_ROLES", "/api/admin/*=admin"), Map.of()))).getMessage();
        assertTrue(message.contains("is not used by the Jakarta Authentication module"), message);
    }
}
