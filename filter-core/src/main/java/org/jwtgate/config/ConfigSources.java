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

    /**
     * The real environment and system properties of this JVM, read now.
     *
     * @return a snapshot: later changes to system properties are not seen
     */
    public static ConfigSources system() {
        return new ConfigSources(System.getenv(), copy(System.getProperties()));
    }

    /**
     * These environment variables and system properties (copied) in place of the real ones: for tests and embedded
     * servers.
     *
     * @param environment      variables by name, such as {@code JWTGATE_JWT_ISSUER}
     * @param systemProperties properties by name, such as {@code jwtgate.jwt.issuer}
     * @return sources holding copies of both maps
     * @throws NullPointerException when a map, or a name or value in one, is null
     */
    public static ConfigSources of(Map<String, String> environment, Map<String, String> systemProperties) {
        return new ConfigSources(environment, systemProperties);
    }

    /**
     * No environment variables and no system properties: only init-params count.
     *
     * @return the shared empty sources
     */
    public static ConfigSources none() {
        return NONE;
    }

    /**
     * One environment variable of these sources.
     *
     * @param name the variable's name, case-sensitive
     * @return its value, or {@code null} when it is not set
     */
    public String environmentVariable(String name) {
        return environment.get(name);
    }

    /**
     * One system property of these sources.
     *
     * @param name the property's name
     * @return its value, or {@code null} when it is not set
     */
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
