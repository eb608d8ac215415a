package org.jwtgate.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Merges the configuration sources, highest precedence first: environment variable
 * {@code JWTGATE_<KEY>}, system property {@code jwtgate.<key>}, the properties file named by
 * {@code config.file}, the init-params. Then expands {@code ${env:NAME}}, {@code ${sys:name}}
 * and {@code ${file:/path}} references. Any unknown key in any source is fatal.
 */
final class SettingsLoader {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|sys|file):([^}]*)}");

    private SettingsLoader() {
    }

    /** The origin of the values the front end hands over, in messages: a filter's init-params. */
    static final String INIT_PARAM = "init-param";

    static Settings load(Map<String, String> initParams, ConfigSources sources) {
        return load(initParams, INIT_PARAM, sources);
    }

    /** @param origin what {@code initParams} are called in messages, e.g. {@code init-param} */
    static Settings load(Map<String, String> initParams, String origin, ConfigSources sources) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();

        putAll(values, origins, initParams, origin);
        String configFile = firstOf(sources, initParams, ConfigKeys.CONFIG_FILE);
        if (configFile != null && !configFile.isBlank()) {
            String path = resolveReferences(ConfigKeys.CONFIG_FILE, configFile, sources);
            putAll(values, origins, readPropertiesFile(path), "properties file " + path);
        }
        putAll(values, origins, systemPropertyValues(sources), "system property");
        putAll(values, origins, environmentValues(sources), "environment variable");

        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            String value = resolveReferences(key, entry.getValue(), sources);
            // Empty would read as unset, and for a setting without a default that switches a check off
            // (an empty JWTGATE_JWT_AUDIENCE over an init-param's audience). Say so instead.
            if (value.isBlank() && !key.equals(ConfigKeys.TOKEN_COOKIE)) {
                throw new ConfigurationException("Setting [" + key + "] is empty in " + origins.get(key)
                        + "; give it a value or remove it");
            }
            resolved.put(key, value);
        }
        return new Settings(resolved, origins);
    }

    private static void putAll(Map<String, String> values, Map<String, String> origins,
                               Map<String, String> source, String origin) {
        for (Map.Entry<String, String> entry : source.entrySet()) {
            String key = entry.getKey().trim();
            requireKnown(key, origin);
            if (entry.getValue() == null) {
                continue;
            }
            values.put(key, entry.getValue().trim());
            origins.put(key, origin.equals("environment variable") ? "environment variable " + ConfigKeys.environmentName(key)
                    : origin.equals("system property") ? "system property " + ConfigKeys.systemPropertyName(key)
                    : origin);
        }
    }

    private static void requireKnown(String key, String origin) {
        if (ConfigKeys.isKnown(key)) {
            return;
        }
        String nearest = ConfigKeys.nearest(key);
        throw new ConfigurationException("Unknown setting [" + key + "] in " + origin
                + (nearest != null ? "; did you mean [" + nearest + "]?" : ""));
    }

    /** config.file may itself come from any source but the file. */
    private static String firstOf(ConfigSources sources, Map<String, String> initParams, String key) {
        String value = sources.environmentVariable(ConfigKeys.environmentName(key));
        if (value == null) {
            value = sources.systemProperty(ConfigKeys.systemPropertyName(key));
        }
        if (value == null) {
            value = initParams.get(key);
        }
        return value;
    }

    private static Map<String, String> environmentValues(ConfigSources sources) {
        Map<String, String> byName = new HashMap<>();
        for (String key : ConfigKeys.all()) {
            byName.put(ConfigKeys.environmentName(key), key);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : sources.environment().entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(ConfigKeys.ENVIRONMENT_PREFIX)) {
                continue;
            }
            String key = byName.get(name);
            if (key == null) {
                String nearest = ConfigKeys.nearest(name.substring(ConfigKeys.ENVIRONMENT_PREFIX.length()));
                throw new ConfigurationException("Unknown environment variable [" + name + "]"
                        + (nearest != null ? "; did you mean [" + ConfigKeys.environmentName(nearest) + "]?" : ""));
            }
            values.put(key, entry.getValue());
        }
        return values;
    }

    private static Map<String, String> systemPropertyValues(ConfigSources sources) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : sources.systemProperties().entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(ConfigKeys.SYSTEM_PROPERTY_PREFIX)) {
                String key = name.substring(ConfigKeys.SYSTEM_PROPERTY_PREFIX.length());
                if (!ConfigKeys.isKnown(key)) {
                    String nearest = ConfigKeys.nearest(key);
                    throw new ConfigurationException("Unknown system property [" + name + "]"
                            + (nearest != null ? "; did you mean [" + ConfigKeys.systemPropertyName(nearest) + "]?" : ""));
                }
                values.put(key, entry.getValue());
            }
        }
        return values;
    }

    private static Map<String, String> readPropertiesFile(String path) {
        Properties properties = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                // Properties keeps the last of two lines silently: a later "paths.exclude=/*" would win unseen.
                if (containsKey(key)) {
                    throw new DuplicateSettingException(String.valueOf(key));
                }
                return super.put(key, value);
            }
        };
        try (Reader reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (DuplicateSettingException e) {
            throw new ConfigurationException("Setting [" + e.getMessage() + "] is given twice in the properties file ["
                    + path + "]; keep one line");
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("Cannot read [" + ConfigKeys.CONFIG_FILE + "] file [" + path + "]: "
                    + e.getClass().getSimpleName());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.equals(ConfigKeys.CONFIG_FILE)) {
                throw new ConfigurationException("Setting [" + ConfigKeys.CONFIG_FILE
                        + "] cannot be set inside the properties file [" + path + "]");
            }
            values.put(name, properties.getProperty(name));
        }
        return values;
    }

    /** Expands every {@code ${env:…}}, {@code ${sys:…}} and {@code ${file:…}} in a value. */
    static String resolveReferences(String key, String value, ConfigSources sources) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        // Checked on the written value only: a resolved secret may itself contain "${".
        if (REFERENCE.matcher(value).replaceAll("").contains("${")) {
            throw new ConfigurationException("Setting [" + key + "] has a malformed reference"
                    + (ConfigKeys.isSecret(key) ? "" : " [" + value + "]")
                    + "; use ${env:NAME}, ${sys:name} or ${file:/path}");
        }
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String kind = matcher.group(1);
            String name = matcher.group(2).trim();
            String replacement = switch (kind) {
                case "env" -> sources.environmentVariable(name);
                case "sys" -> sources.systemProperty(name);
                default -> readReferencedFile(key, name);
            };
            if (replacement == null) {
                throw new ConfigurationException("Setting [" + key + "] refers to "
                        + (kind.equals("env") ? "environment variable" : "system property")
                        + " [" + name + "], which is not set");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString().trim();
    }

    private static String readReferencedFile(String key, String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("Setting [" + key + "] refers to file [" + path
                    + "], which cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** A key on two lines of a properties file. */
    private static final class DuplicateSettingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DuplicateSettingException(String key) {
            super(key, null, false, false);
        }
    }
}
