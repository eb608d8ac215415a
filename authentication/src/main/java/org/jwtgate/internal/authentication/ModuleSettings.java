package org.jwtgate.internal.authentication;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.config.Settings;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.log.Log;

/**
 * The Jakarta Authentication module's configuration: the filter's keys, sources and checks
 * ({@link Settings#load(Map, String, ConfigSources)}, {@link JwtGateConfig#from(Settings)}), plus the
 * one rule of the module: {@code paths.exclude}, {@code paths.optional} and {@code paths.roles} are
 * refused, because the container's security-constraints decide which requests need a token and which
 * roles (a key that would silently do nothing is an error, as an unknown key is).
 */
public final class ModuleSettings {

    /** The origin, in messages, of the {@code jwtgate.*} context-params of a WAR. */
    public static final String CONTEXT_PARAM = "context-param";
    /** The origin, in messages, of the options a container hands the module (jaspic-providers.xml properties). */
    public static final String MODULE_OPTION = "module option";
    /**
     * The origin, in messages, of settings given in code: {@code JwtServerAuthModule.builder()} or
     * {@code new JwtServerAuthModule(Map)}, as Jetty XML does. Not "init-param": the module reads none.
     */
    public static final String MODULE_SETTING = "module setting";

    /** Option names containers add to what the administrator wrote; never JwtGate settings. */
    private static final List<String> CONTAINER_OPTION_PREFIXES = List.of(
            "org.apache.catalina.authenticator.jaspic.", // Tomcat's SimpleServerAuthConfig: ServerAuthModule.1, …
            "org.eclipse.jetty.",                         // Jetty: realm name, login service
            "jakarta.");                                  // keys the specifications define
    private static final Set<String> CONTAINER_OPTION_NAMES = Set.of(
            "ServerAuthModule", "appContext");            // Jetty's JaspiAuthConfigProvider

    private static final List<String> PATH_KEYS = List.of(
            ConfigKeys.PATHS_EXCLUDE, ConfigKeys.PATHS_OPTIONAL, ConfigKeys.PATHS_ROLES);

    private ModuleSettings() {
    }

    /**
     * The JwtGate settings among a module's options: the container's own keys left out, every other
     * key kept for {@link Settings#load} to check (an unknown one fails there, naming it).
     *
     * @throws ConfigurationException for an option whose value is missing or not text
     */
    public static Map<String, String> fromOptions(Map<?, ?> options) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (options == null) {
            return settings;
        }
        for (Map.Entry<?, ?> option : options.entrySet()) {
            String name = String.valueOf(option.getKey());
            if (isContainerOption(name)) {
                continue;
            }
            Object value = option.getValue();
            if (value == null) {
                // Tomcat's <property name="…"/> without a value: dropped, the setting would keep its default (no audience).
                throw new ConfigurationException("Module option [" + name + "] has no value; give it one or remove it");
            }
            if (!(value instanceof String)) {
                throw new ConfigurationException("Module option [" + name + "] must be text, not "
                        + value.getClass().getSimpleName());
            }
            settings.put(name, (String) value);
        }
        return settings;
    }

    static boolean isContainerOption(String name) {
        return CONTAINER_OPTION_NAMES.contains(name) || CONTAINER_OPTION_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * Loads and checks the module's configuration as the filter does, then refuses the path keys.
     *
     * @param origin what {@code settings} are called in messages: {@link #CONTEXT_PARAM} or {@link #MODULE_OPTION}
     * @throws ConfigurationException naming the key (and its bad value, unless it is a secret)
     */
    public static JwtGateConfig load(Map<String, String> settings, String origin, ConfigSources sources) {
        return from(Settings.load(settings, origin, sources));
    }

    /**
     * The configuration of loaded settings, the path keys refused first: refused after them, a JVM-wide paths.exclude
     * the filter's rules refuse got the filter's advice ("narrow the exclusion") for a setting the module never reads.
     */
    public static JwtGateConfig from(Settings settings) {
        requireNoPathRules(settings);
        return JwtGateConfig.from(settings);
    }

    /** @throws ConfigurationException when a {@code paths.*} key is set, wherever it came from */
    public static void requireNoPathRules(JwtGateConfig config) {
        requireNoPathRules(config.settings());
    }

    private static void requireNoPathRules(Settings settings) {
        for (String key : PATH_KEYS) {
            if (settings.isSet(key)) {
                throw new ConfigurationException("Setting [" + key + "] is not used by the Jakarta Authentication module"
                        + " (from " + settings.origin(key) + "): the application's security-constraints decide"
                        + " which requests need a token and which roles; remove it");
            }
        }
    }

    /**
     * The start-up line, as the filter's (the effective configuration, secrets masked), and the warnings when a
     * JVM-wide value replaced one of the application's, when settings given take no effect and when revocation is off; {@code where} says which module: e.g. {@code for [/app]}.
     */
    public static void logStarted(Log log, String where, JwtGate gate) {
        log.info("JwtGate authentication module {} started: {}", where, gate.describe());
        gate.config().jvmWideOverridesWarning().ifPresent(
                warning -> log.warn("JwtGate authentication module {}: {}", where, warning));
        gate.config().ineffectiveSettingsWarning().ifPresent(
                warning -> log.warn("JwtGate authentication module {}: {}", where, warning));
        if (gate.config().revocation().store() == RevocationSettings.StoreType.NONE) {
            log.warn("JwtGate authentication module {}: revocation.store=none: revoked tokens stay valid until they expire",
                    where);
        }
    }
}
