package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.testkit.tokens.TestTokens;

class ModuleSettingsTest {

    @Test
    void whenOptionsHoldContainerKeysThenOnlyJwtGateSettingsRemain() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("org.apache.catalina.authenticator.jaspic.ServerAuthModule.1", "org.jwtgate.authentication.JwtServerAuthModule");
        options.put("ServerAuthModule", "org.jwtgate.authentication.JwtServerAuthModule");
        options.put("appContext", "server /secured");
        options.put("org.eclipse.jetty.ee10.security.jaspi.modules.RealmName", "x");
        options.put("jakarta.security.auth.message.MessagePolicy.isMandatory", "true");
        options.put(ConfigKeys.JWT_ISSUER, "https://issuer.example");
        options.put("jwt.isuer", "kept, so that it fails by name");
        assertEquals(Map.of(ConfigKeys.JWT_ISSUER, "https://issuer.example", "jwt.isuer", "kept, so that it fails by name"),
                ModuleSettings.fromOptions(options));
        assertEquals(Map.of(), ModuleSettings.fromOptions(null));
    }

    @Test
    void whenOptionValueIsNotTextThenErrorNamesTheOption() {
        String message = assertThrows(ConfigurationException.class,
                () -> ModuleSettings.fromOptions(Map.of(ConfigKeys.TOKEN_MAX_LENGTH, 8192))).getMessage();
        assertEquals("Module option [token.max-length] must be text, not Integer", message);
    }

    /**
     * Tomcat hands a {@code <property name="jwt.audience"/>} of jaspic-providers.xml without a value (or with its
     * {@code value} attribute misspelt) as null; dropped, it left the audience unchecked.
     */
    @Test
    void whenOptionHasNoValueThenErrorNamesTheOption() {
        Map<String, Object> options = new HashMap<>(TestTokens.settings());
        options.put(ConfigKeys.JWT_AUDIENCE, null);
        String message = assertThrows(ConfigurationException.class, () -> ModuleSettings.fromOptions(options)).getMessage();
        assertEquals("Module option [jwt.audience] has no value; give it one or remove it", message);
    }

    @Test
    void whenUnknownOptionThenLoadFailsNamingItAsAModuleOption() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put("jwt.isuer", "typo");
        String message = assertThrows(ConfigurationException.class,
                () -> ModuleSettings.load(settings, ModuleSettings.MODULE_OPTION, ConfigSources.none())).getMessage();
        assertEquals("Unknown setting [jwt.isuer] in module option; did you mean [jwt.issuer]?", message);
    }

    @Test
    void whenPathKeyComesFromTheEnvironmentThenRefusedNamingTheVariable() {
        String message = assertThrows(ConfigurationException.class, () -> ModuleSettings.load(TestTokens.settings(),
                ModuleSettings.CONTEXT_PARAM, ConfigSources.of(Map.of("JWTGATE_PATHS_EXCLUDE", "/health"), Map.of())))
                .getMessage();
        assertTrue(message.startsWith("Setting [paths.exclude] is not used by the Jakarta Authentication module"
                + " (from environment variable JWTGATE_PATHS_EXCLUDE)"), message);
    }

    @Test
    void whenSettingsValidThenConfigurationAsTheFiltersWithTheOriginInMessages() {
        JwtGateConfig config = ModuleSettings.load(TestTokens.settings(), ModuleSettings.CONTEXT_PARAM, ConfigSources.none());
        assertEquals(TestTokens.ISSUER, config.settings().get(ConfigKeys.JWT_ISSUER));
        assertEquals("context-param", config.settings().origin(ConfigKeys.JWT_ISSUER));
        Map<String, String> bad = new HashMap<>(TestTokens.settings());
        bad.put(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "soon");
        String message = assertThrows(ConfigurationException.class,
                () -> ModuleSettings.load(bad, ModuleSettings.CONTEXT_PARAM, ConfigSources.none())).getMessage();
        assertTrue(message.contains("[jwt.clock-skew-seconds]") && message.contains("[soon]")
                && message.contains("(from context-param)"), message);
    }
}
