package org.jwtgate.internal.web;

import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jwtgate.config.ConfigKeys;

/**
 * The Jakarta Authentication module's context-params: {@link #ENABLE_PARAM}, which switches the module on for a WAR,
 * and {@code jwtgate.<key>}, its settings. The filter reads none of them (it reads init-params), so an application
 * that writes its filter's settings that way would lose the optional ones silently: {@link #unreadByTheFilter} finds
 * them for the filter's start-up warning.
 */
public final class ModuleContextParams {

    /** The context-param that switches the module on ({@code JwtServerAuthModule.ENABLE_PARAM}). */
    public static final String ENABLE_PARAM = "jwtgate.authentication";
    /** Settings as context-params are named as system properties are: {@code jwtgate.jwt.issuer}. */
    public static final String SETTING_PREFIX = ConfigKeys.SYSTEM_PROPERTY_PREFIX;

    private ModuleContextParams() {
    }

    /**
     * The {@code jwtgate.<key>} context-params of {@code context} that name a known setting, sorted (containers keep
     * them in no particular order);
     * none when the application switches the module on (they are its settings, as the module's initializer sees it:
     * the switch is there, whatever its value) or when there is no context.
     */
    public static List<String> unreadByTheFilter(ServletContext context) {
        Enumeration<String> names = context == null ? null : context.getInitParameterNames();
        if (names == null) {
            return List.of();
        }
        List<String> all = Collections.list(names);
        if (all.contains(ENABLE_PARAM)) {
            return List.of();
        }
        List<String> settings = new ArrayList<>();
        for (String name : all) {
            if (name.startsWith(SETTING_PREFIX) && ConfigKeys.isKnown(name.substring(SETTING_PREFIX.length()))) {
                settings.add(name);
            }
        }
        Collections.sort(settings);
        return settings;
    }
}
