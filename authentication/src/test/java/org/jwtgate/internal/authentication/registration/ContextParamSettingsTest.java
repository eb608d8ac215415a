package org.jwtgate.internal.authentication.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigurationException;

class ContextParamSettingsTest {

    static ServletContext context(Map<String, String> params) {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameterNames()).thenAnswer(call -> Collections.enumeration(params.keySet()));
        when(context.getInitParameter(org.mockito.ArgumentMatchers.anyString())).thenAnswer(call -> params.get(call.getArgument(0, String.class)));
        return context;
    }

    @Test
    void whenSwitchIsEnabledThenAccepted() {
        ContextParamSettings.requireEnabled("enabled");
        ContextParamSettings.requireEnabled(" enabled\n");
    }

    @Test
    void whenSwitchHasAnyOtherValueThenErrorNamesTheParamAndTheValue() {
        for (String value : new String[] {"true", "Enabled", "on", ""}) {
            String message = assertThrows(ConfigurationException.class, () -> ContextParamSettings.requireEnabled(value)).getMessage();
            assertEquals("Illegal value for context-param [jwtgate.authentication]: [" + value + "]; the only value is [enabled]"
                    + " (remove the context-param to leave the module off)", message);
        }
    }

    @Test
    void whenJwtgateParamsGivenThenSettingsWithoutThePrefixAndOthersIgnored() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jwtgate.authentication", "enabled");
        params.put("jwtgate.jwt.issuer", "https://issuer.example");
        params.put("jwtgate.jwt.secret", "${env:APP_JWT_SECRET}");
        params.put("jwtgate.revocation.near-cache.capacity", "10");
        params.put("contextConfigLocation", "/WEB-INF/app.xml");
        assertEquals(Map.of("jwt.issuer", "https://issuer.example", "jwt.secret", "${env:APP_JWT_SECRET}",
                "revocation.near-cache.capacity", "10"), ContextParamSettings.read(context(params)));
    }

    /**
     * Jetty reads a {@code <context-param>} whose {@code <param-value>} is missing (or misspelt: Jetty does not
     * validate web.xml) as a null value; dropped, {@code jwtgate.jwt.audience} left the module checking no audience.
     */
    @Test
    void whenAJwtgateParamHasNoValueThenErrorNamesIt() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jwtgate.jwt.issuer", "https://issuer.example");
        params.put("jwtgate.jwt.audience", null);
        String message = assertThrows(ConfigurationException.class, () -> ContextParamSettings.read(context(params))).getMessage();
        assertEquals("Context-param [jwtgate.jwt.audience] has no value; give it a <param-value> or remove it", message);
    }

    @Test
    void whenUnknownJwtgateParamThenErrorNamesItAndTheNearestParam() {
        String message = assertThrows(ConfigurationException.class,
                () -> ContextParamSettings.read(context(Map.of("jwtgate.jwt.isuer", "x")))).getMessage();
        assertEquals("Unknown context-param [jwtgate.jwt.isuer]; did you mean [jwtgate.jwt.issuer]?", message);
        message = assertThrows(ConfigurationException.class,
                () -> ContextParamSettings.read(context(Map.of("jwtgate.completely-different", "x")))).getMessage();
        assertEquals("Unknown context-param [jwtgate.completely-different]", message);
    }

    /** Read as another application's context-param, each was dropped: the module checked no audience. */
    @Test
    void whenASettingsPrefixIsWrittenOtherwiseThenErrorNamesItAndTheSettingMeant() {
        for (String name : new String[] {"JWTGATE.jwt.audience", "Jwtgate.jwt.audience", "jwtgate_jwt.audience",
                "jwtgate-jwt.audience", " jwtgate.jwt.audience"}) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("jwtgate.authentication", "enabled");
            params.put("jwtgate.jwt.issuer", "https://issuer.example");
            params.put(name, "my-api");
            String message = assertThrows(ConfigurationException.class, () -> ContextParamSettings.read(context(params)),
                    name).getMessage();
            assertEquals("Unknown context-param [" + name + "]; the module's settings are named jwtgate.<key>, in lower"
                    + " case: did you mean [jwtgate.jwt.audience]?", message);
        }
        String message = assertThrows(ConfigurationException.class,
                () -> ContextParamSettings.read(context(Map.of("JWTGATE.SOMETHING-ELSE", "x")))).getMessage();
        assertEquals("Unknown context-param [JWTGATE.SOMETHING-ELSE]; the module's settings are named jwtgate.<key>, in"
                + " lower case", message);
        // Not JwtGate's: left to the application.
        assertEquals(Map.of(), ContextParamSettings.read(context(Map.of("jwtgateway.url", "x", "myjwtgate.x", "y"))));
    }
}
