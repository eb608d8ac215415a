package org.jwtgate.config;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The raw values of every key that was set somewhere, merged from every source by precedence
 * (environment variable, system property, {@code config.file}, init-params) with
 * {@code ${env:…}}, {@code ${sys:…}} and {@code ${file:…}} expanded, each with the place it came
 * from. Not validated yet: {@link JwtGateConfig#from(Settings)} does that. Immutable.
 *
 * <pre>{@code
 * Settings settings = Settings.load(Map.of(ConfigKeys.REVOCATION_STORE, "redis-cluster"), ConfigSources.system());
 * if (!settings.isSet(ConfigKeys.REDIS_NODES)) { ... start a local cluster ... }
 * }</pre>
 *
 * @since 1.0.0
 */
public final class Settings {

    private final Map<String, String> values;
    private final Map<String, String> origins;
    /** What the front end's own settings are called: init-param, context-param, module option. */
    private final String paramsOrigin;

    /** The application's own values that a JVM-wide one replaced with another, as the start-up WARN names them. */
    private final List<String> replacedByJvmWideValues;

    Settings(Map<String, String> values, Map<String, String> origins, String paramsOrigin,
             List<String> replacedByJvmWideValues) {
        this.values = new ExplicitValues(new LinkedHashMap<>(values));
        this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
        this.paramsOrigin = paramsOrigin;
        this.replacedByJvmWideValues = List.copyOf(replacedByJvmWideValues);
    }

    /**
     * The warning a front end logs at start when a system property or an environment variable, which apply to every
     * application of the JVM, replaced a setting this application gave itself (an init-param, a context-param, its
     * properties file) with another value, or the properties file one of them names did: one line naming each setting
     * and both sources, never a value (the start-up line shows the values in force, masked). Two values the settings
     * read alike (lists differing in spaces, a boolean in another case, a reference and its expansion) replace nothing.
     * The precedence stands; the WARN only says it applied. Empty when no such value was replaced.
     *
     * @return the warning's text, or empty
     * @since 1.1.0
     */
    public Optional<String> jvmWideOverridesWarning() {
        if (replacedByJvmWideValues.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("settings given for this application are replaced by JVM-wide values, which apply to every"
                + " application of the JVM: " + String.join("; ", replacedByJvmWideValues) + " (values not shown; the"
                + " start-up line shows those in force). Keep a per-application"
                + " setting out of the JWTGATE_* variables and jwtgate.* system properties, or remove it from the"
                + " application's own settings");
    }

    /**
     * Merges {@code initParams} with the environment variables, system properties and
     * {@code config.file} of {@code sources}, as the filter does.
     *
     * @param initParams the front end's own settings by key (init-params, builder values); lowest precedence
     * @param sources    the environment variables and system properties to read
     * @return the merged raw values, not validated yet
     * @throws ConfigurationException for an unknown key in any source, an unreadable file or a bad reference
     */
    public static Settings load(Map<String, String> initParams, ConfigSources sources) {
        return SettingsLoader.load(initParams, sources);
    }

    /**
     * As {@link #load(Map, ConfigSources)}, for a front end whose own settings are not init-params:
     * {@code origin} names them in every message, e.g. {@code context-param} for the Jakarta
     * Authentication module's {@code jwtgate.*} context-params.
     *
     * @param params  the front end's own settings by key; lowest precedence
     * @param origin  what messages call them, such as {@code context-param}
     * @param sources the environment variables and system properties to read
     * @return the merged raw values, not validated yet
     * @throws ConfigurationException for an unknown key in any source, an unreadable file or a bad reference
     */
    public static Settings load(Map<String, String> params, String origin, ConfigSources sources) {
        return SettingsLoader.load(params, origin, sources);
    }

    /**
     * Settings given directly, with no environment variables or system properties involved; messages name them
     * "settings given in code".
     *
     * @param values settings by key; a {@code config.file} among them and {@code ${file:…}} references are still
     *               read, while {@code ${env:…}} and {@code ${sys:…}} find nothing and fail
     * @return these values, not validated yet
     * @throws ConfigurationException for an unknown key, an unreadable file, or a reference that is malformed or finds
     *                                nothing
     */
    public static Settings of(Map<String, String> values) {
        return SettingsLoader.load(values, SettingsLoader.IN_CODE, ConfigSources.none());
    }

    /**
     * The raw value of a key, references expanded.
     *
     * @param key a setting's name
     * @return the value set for {@code key}, else its default, else {@code null}
     */
    public String get(String key) {
        String value = values.get(key);
        return value != null ? value : ConfigKeys.defaultValue(key);
    }

    /**
     * Whether any source gave {@code key} a value; {@link #get(String)} also answers a key left at its default.
     *
     * @param key a setting's name
     * @return {@code true} when any source set it, references expanded to a value
     */
    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /**
     * Where a key's value came from, for messages.
     *
     * @param key a setting's name
     * @return the source, e.g. {@code environment variable JWTGATE_JWT_ISSUER}; {@code default} for a key not set
     */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** What the front end's own settings are called in messages, e.g. {@code init-param}. */
    String paramsOrigin() {
        return paramsOrigin;
    }

    /**
     * Values that were set explicitly, in no particular order; unmodifiable. They hold the secrets in clear, but the
     * map's {@code toString()} masks them, as {@link #describe()} does.
     *
     * @return the explicit values by key, references expanded
     */
    public Map<String, String> explicitValues() {
        return values;
    }

    /** The explicit values, read-only; printed with secrets masked, since a caller may log the map it was given. */
    private static final class ExplicitValues extends AbstractMap<String, String> {

        private final Map<String, String> values;

        ExplicitValues(Map<String, String> values) {
            this.values = Collections.unmodifiableMap(values);
        }

        @Override
        public Set<Map.Entry<String, String>> entrySet() {
            return values.entrySet();
        }

        @Override
        public String get(Object key) {
            return values.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return values.containsKey(key);
        }

        @Override
        public String toString() {
            StringJoiner joiner = new StringJoiner(", ", "{", "}");
            values.forEach((key, value) -> joiner.add(key + "=" + shown(key, value)));
            return joiner.toString();
        }
    }

    /**
     * Secrets masked, and a URL's user part and query values (an API key in {@code jwt.jwks-uri}); an inline PEM
     * shortened to one line so the start-up log stays one line.
     */
    private static String shown(String key, String value) {
        if (ConfigKeys.isSecret(key)) {
            return "****";
        }
        if (value.contains("-----BEGIN")) {
            return "<inline PEM>";
        }
        return UrlSettings.shown(key, value).replaceAll("[\\r\\n]+", " ");
    }

    /**
     * The values in force, for the start-up log line.
     *
     * @return {@code key=value, ...} of every key with a non-empty value or default, secrets masked: safe to log
     */
    public String describe() {
        StringJoiner joiner = new StringJoiner(", ");
        for (String key : ConfigKeys.all()) {
            String value = get(key);
            if (value == null || value.isEmpty()) {
                continue;
            }
            joiner.add(key + "=" + shown(key, value));
        }
        return joiner.toString();
    }
}
