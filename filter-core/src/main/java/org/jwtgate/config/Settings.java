package org.jwtgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The raw, merged and resolved values of every key that was set somewhere, each with the
 * place it came from (for error messages). Immutable.
 */
public final class Settings {

    private final Map<String, String> values;
    private final Map<String, String> origins;

    Settings(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    }

    /** Settings given directly, with no environment, system properties or file involved. */
    public static Settings of(Map<String, String> values) {
        return SettingsLoader.load(values, ConfigSources.none());
    }

    /** The value set for {@code key}, else its default, else {@code null}. */
    public String get(String key) {
        String value = values.get(key);
        return value != null ? value : ConfigKeys.defaultValue(key);
    }

    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /** Where the value came from, e.g. {@code environment variable JWTGATE_JWT_ISSUER}. */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** Values that were set explicitly, in no particular order. */
    public Map<String, String> explicitValues() {
        return values;
    }

    /** Secrets masked; an inline PEM shortened to one line so the start-up log stays one line. */
    private static String shown(String key, String value) {
        if (ConfigKeys.isSecret(key)) {
            return "****";
        }
        if (value.contains("-----BEGIN")) {
            return "<inline PEM>";
        }
        return value.replaceAll("[\\r\\n]+", " ");
    }

    /** {@code key=value, ...} of every known key, secrets masked: safe for a log line. */
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
