package org.jwtgate.internal.authentication.registration;

import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;

/**
 * Reads a WAR's {@code jwtgate.*} context-params: the switch {@code jwtgate.authentication}, whose only
 * value is {@code enabled}, and the settings, {@code jwtgate.<key>} for every key of {@link ConfigKeys}.
 * An unknown {@code jwtgate.*} context-param is an error naming it (with the nearest known one), as an
 * unknown init-param is for the filter.
 */
final class ContextParamSettings {

    private ContextParamSettings() {
    }

    /** @throws ConfigurationException for any value of the switch but {@code enabled} */
    static void requireEnabled(String value) {
        if (!JwtServerAuthModule.ENABLED.equals(value.trim())) {
            throw new ConfigurationException("Illegal value for context-param [" + JwtServerAuthModule.ENABLE_PARAM
                    + "]: [" + value.trim() + "]; the only value is [" + JwtServerAuthModule.ENABLED
                    + "] (remove the context-param to leave the module off)");
        }
    }

    /**
     * Refuses a context-param that misspells the switch ({@code jwtgate.authentification}, {@code JWTGATE.AUTHENTICATION},
     * {@code jwtgate_auth}): the module was meant, and without it the WAR's own {@code <login-config>} (BASIC, FORM)
     * would guard its constraints unseen. Only "auth", a word starting "authent", or one word of letters from 'a'
     * to "tion" as long as "authentication" give or take three ({@code autentication}, {@code athentication}): with the
     * module's jar in the container, this runs for every application, whose own {@code jwtgate.auth-url} is none of
     * JwtGate's business.
     *
     * @throws ConfigurationException naming that context-param and the switch
     */
    static void refuseMisspeltSwitch(ServletContext context) {
        for (String name : Collections.list(context.getInitParameterNames())) {
            String word = afterPrefixAsWritten(name);
            boolean likeTheSwitch = word.equals("auth") || word.startsWith("authent") || (word.matches("a[a-z]*tion")
                    && Math.abs(word.length() - "authentication".length()) <= 3);
            if (likeTheSwitch && !name.equals(JwtServerAuthModule.ENABLE_PARAM)) {
                throw new ConfigurationException("Unknown context-param [" + name + "]; did you mean ["
                        + JwtServerAuthModule.ENABLE_PARAM + "]? Without it the module is off and the application's own"
                        + " <login-config> guards its security-constraints");
            }
        }
    }

    /**
     * What follows "jwtgate" and one of {@code .-_} in {@code name}, spaces around it and case aside, in lower case;
     * empty when the name does not start so.
     */
    private static String afterPrefixAsWritten(String name) {
        String probe = name.strip().toLowerCase(Locale.ROOT);
        return probe.length() > 8 && probe.startsWith("jwtgate") && ".-_".indexOf(probe.charAt(7)) >= 0
                ? probe.substring(8) : "";
    }

    /**
     * The settings, keyed without the prefix ({@code jwtgate.jwt.issuer} → {@code jwt.issuer}), values as
     * written ({@code ${env:…}} references are resolved later, with the filter's rules).
     *
     * @throws ConfigurationException for an unknown {@code jwtgate.*} context-param, one whose prefix is written otherwise
     *     ({@code JWTGATE.}, {@code jwtgate_}), or one without a value
     */
    static Map<String, String> read(ServletContext context) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.equals(JwtServerAuthModule.ENABLE_PARAM)) {
                continue;
            }
            if (!name.startsWith(JwtServerAuthModule.SETTING_PARAM_PREFIX)) {
                String word = afterPrefixAsWritten(name);
                if (!word.isEmpty()) {
                    // JWTGATE.jwt.audience, jwtgate_jwt.audience: dropped, the audience would go unchecked.
                    String nearest = ConfigKeys.nearest(word);
                    throw new ConfigurationException("Unknown context-param [" + name + "]; the module's settings are"
                            + " named " + JwtServerAuthModule.SETTING_PARAM_PREFIX + "<key>, in lower case"
                            + (nearest != null ? ": did you mean [" + JwtServerAuthModule.SETTING_PARAM_PREFIX + nearest
                            + "]?" : ""));
                }
                continue;
            }
            String key = name.substring(JwtServerAuthModule.SETTING_PARAM_PREFIX.length());
            if (!ConfigKeys.isKnown(key)) {
                String nearest = ConfigKeys.nearest(key);
                throw new ConfigurationException("Unknown context-param [" + name + "]"
                        + (nearest != null ? "; did you mean [" + JwtServerAuthModule.SETTING_PARAM_PREFIX + nearest + "]?" : ""));
            }
            String value = context.getInitParameter(name);
            if (value == null) {
                // Jetty's reading of a <context-param> without <param-value>: dropped, the setting would keep its default.
                throw new ConfigurationException("Context-param [" + name + "] has no value; give it a <param-value> or"
                        + " remove it");
            }
            settings.put(key, value);
        }
        return settings;
    }
}
