package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.Settings;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A store given to the builder is closed by a failed {@code build()} wherever it fails: one failing in JwtGate.start
 * closed it, one failing on a setting before did not, so the caller could not tell whether to close it (found by a
 * probe of the module's API; the first three failed before).
 */
class JwtServerAuthModuleFailedBuildTest {

    @Test
    void whenASettingIsBadThenTheStoreGivenIsClosed() {
        assertClosedWhenTheBuildFails(ConfigurationException.class, ConfigKeys.JWT_SECRET, "short-k3y");
    }

    @Test
    void whenAPathRuleIsGivenThenTheStoreGivenIsClosed() {
        assertClosedWhenTheBuildFails(ConfigurationException.class, ConfigKeys.PATHS_ROLES, "/admin/*=admin");
    }

    @Test
    void whenBothSettingsAndAConfigurationAreGivenThenTheStoreGivenIsClosed() {
        RevocationStore store = mock(RevocationStore.class);
        JwtGateConfig config = JwtGateConfig.from(Settings.load(TestTokens.settings(), "test", ConfigSources.none()));
        assertThrows(IllegalStateException.class, () -> JwtServerAuthModule.builder().settings(TestTokens.settings())
                .config(config).revocationStore(store).build());
        verify(store, times(1)).close();
    }

    /** The case that closed it before: the failure is JwtGate.start's (a store with revocation.store=none). */
    @Test
    void whenTheGateRefusesTheStoreThenItIsClosed() {
        assertClosedWhenTheBuildFails(ConfigurationException.class, ConfigKeys.REVOCATION_STORE, "none");
    }

    private static void assertClosedWhenTheBuildFails(Class<? extends Exception> failure, String key, String value) {
        RevocationStore store = mock(RevocationStore.class);
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(key, value);
        assertThrows(failure, () -> JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none())
                .revocationStore(store).build());
        verify(store, times(1)).close();
    }
}
