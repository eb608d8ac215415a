package org.jwtgate.config;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The process-wide places settings come from besides init-params: environment variables and
 * system properties. Injectable so tests and embedded servers need not touch the real ones.
 *
 * <pre>{@code
 * JwtGateConfig real = JwtGateConfig.load(initParams, ConfigSources.system());   // as the filter does
 * JwtGateConfig test = JwtGateConfig.load(initParams, ConfigSources.of(
 *         Map.of("JWTGATE_JWT_ISSUER", "https://issuer.test"), Map.of()));     // a chosen environment
 * }</pre>
 *
 * @since 1.0.0
 */
public final class ConfigSources {

    private static final ConfigSources NONE = new ConfigSources(Map.of(), Map.of());

    private final Map<String, String> environment;
    private final Map<String, String> systemProperties;

    private ConfigSources(Map<String, String> environment, Map<String, String> systemProperties) {
        this.environment = Map.copyOf(environment);
        this.systemProperties = Map.copyOf(systemProperties);
    }

    /** The real environment and system properties of this JVM, read now. */
    public static ConfigSources system() {
        return new ConfigSources(System.getenv(), copy(System.getProperties()));
    }

    /** These environment variables and system properties (copied) in place of the real ones: for tests and embedded servers. */
    public static ConfigSources of(Map<String, String> environment, Map<String, String> systemProperties) {
        return new ConfigSources(environment, systemProperties);
    }

    /** No environment variables and no system properties: only init-params count. */
    public static ConfigSources none() {
        return NONE;
    }

    public String environmentVariable(String name) {
        return environment.get(name);
    }

    public String systemProperty(String name) {
        return systemProperties.get(name);
    }

    Map<String, String> environment() {
        return environment;
    }

    Map<String, String> systemProperties() {
        return systemProperties;
    }

    private static Map<String, String> copy(Properties properties) {
        Map<String, String> copy = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return copy;
    }
}
