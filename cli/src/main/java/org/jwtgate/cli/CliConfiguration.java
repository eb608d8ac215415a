package org.jwtgate.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;

/**
 * Builds the CLI's configuration from the same sources, names and precedence as the filter
 * ({@code JWTGATE_*} environment, {@code jwtgate.*} system properties, {@code config.file},
 * init-params), plus the command line on top: {@code --config FILE} is {@code config.file}, and
 * {@code --set key=value} wins over everything, so what an operator types is what is used.
 */
final class CliConfiguration {

    private CliConfiguration() {
    }

    /**
     * The configuration for revoke-* and status: no init-params, only files, variables and --set. Settings given that
     * take no effect are named on standard error as check-config names them (the servers' start-up WARN): a script
     * reads standard output and the exit code, which stay as they were.
     */
    static JwtGateConfig load(CliArguments arguments, CliEnvironment environment) {
        JwtGateConfig config = load(Map.of(), arguments.configFile(), arguments, environment);
        ineffectiveSettingsWarning(config, arguments.configFile(), arguments).ifPresent(environment::warn);
        return config;
    }

    /**
     * The servers' start-up WARN of settings that take no effect, naming an override as the option typed (as errors
     * do), not as the system property it became.
     */
    static Optional<String> ineffectiveSettingsWarning(JwtGateConfig config, Path configFile, CliArguments arguments) {
        return config.ineffectiveSettingsWarning().map(warning -> namingTheOption(warning, overrides(configFile, arguments)));
    }

    /** The --set values, and the file given as config.file. */
    private static Map<String, String> overrides(Path configFile, CliArguments arguments) {
        Map<String, String> overrides = new HashMap<>(arguments.sets());
        if (configFile != null) {
            overrides.put(ConfigKeys.CONFIG_FILE, configFile.toString());
        }
        return overrides;
    }

    /**
     * Validates exactly as {@code JwtAuthFilter.init()} does ({@link JwtGateConfig#load}), with
     * {@code initParams} as the filter's init-params and {@code configFile} (or null) as
     * {@code config.file}, winning over {@code JWTGATE_CONFIG_FILE}: the file named is the file read.
     */
    static JwtGateConfig load(Map<String, String> initParams, Path configFile, CliArguments arguments,
                              CliEnvironment environment) {
        Map<String, String> overrides = overrides(configFile, arguments);
        // An override replaces the key's environment variable and system property; it becomes the
        // system property, which the loader ranks above config.file and init-params.
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            String key = override.getKey();
            if (!ConfigKeys.isSecret(key) && TokenInput.looksLikeToken(override.getValue().strip())) {
                // Refused before it is read: no setting takes a token, and a refusal's message, cut to its bounds,
                // would show the start and the end of a long one that namingTheOption could no longer find whole.
                throw new ConfigurationException(key.equals(ConfigKeys.CONFIG_FILE)
                        ? "Cannot read [" + key + "] file " + Printable.NOT_SHOWN + " (from the file given)"
                        : "Illegal value for setting [" + key + "]: " + Printable.NOT_SHOWN + " (from --set " + key
                        + "); no setting takes a token");
            }
        }
        Map<String, String> variables = new HashMap<>(environment.environment());
        Map<String, String> properties = new HashMap<>(environment.systemProperties());
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            variables.remove(ConfigKeys.environmentName(override.getKey()));
            properties.put(ConfigKeys.systemPropertyName(override.getKey()), override.getValue());
        }
        try {
            return JwtGateConfig.load(initParams, ConfigSources.of(variables, properties));
        } catch (ConfigurationException e) {
            String named = namingTheOption(e.getMessage(), overrides);
            // A value the message no longer shows must not come back in the cause's, which --verbose prints.
            throw named.contains(Printable.NOT_SHOWN) && !e.getMessage().contains(Printable.NOT_SHOWN)
                    ? new ConfigurationException(named) : new ConfigurationException(named, e);
        }
    }

    /**
     * Errors say where a value came from; for an override that is the option typed, not a system property. A value
     * typed that looks like a token ({@code --config "$TOKEN"}, {@code --set token.max-length=$TOKEN}) is not quoted.
     */
    private static String namingTheOption(String message, Map<String, String> overrides) {
        String named = message;
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            String key = override.getKey();
            String option = key.equals(ConfigKeys.CONFIG_FILE) ? "the file given" : "--set " + key;
            // Not inside a longer key's name: --set revocation.near-cache is not jwtgate.revocation.near-cache.capacity.
            named = named.replaceAll(Pattern.quote("system property " + ConfigKeys.systemPropertyName(key))
                    + "(?![\\w.-])", Matcher.quoteReplacement(option));
            String value = override.getValue().strip();
            if (TokenInput.looksLikeToken(value)) {
                named = named.replace("[" + value + "]", Printable.NOT_SHOWN).replace(value, Printable.NOT_SHOWN);
            }
        }
        return named;
    }
}
