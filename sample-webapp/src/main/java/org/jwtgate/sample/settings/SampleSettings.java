package org.jwtgate.sample.settings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Locale;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;

/**
 * The sample's own settings (everything about the filter uses JwtGate's keys). Each is read from
 * an environment variable, else a system property, else its default; parsed once, immutable.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>environment</th><th>system property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>PORT</td><td>port</td><td>8080</td><td>HTTP port (0 picks a free one)</td></tr>
 *   <tr><td>SAMPLE_HOST</td><td>sample.host</td><td>127.0.0.1</td><td>address to listen on</td></tr>
 *   <tr><td>SAMPLE_SIGNING_KEY</td><td>sample.signing-key</td><td>none</td><td>PEM PKCS#8 private key
 *       (file path or inline) signing access tokens with RS256/ES256/ES384/ES512/EdDSA</td></tr>
 *   <tr><td>SAMPLE_ACCESS_TOKEN_SECONDS</td><td>sample.access-token-seconds</td><td>900</td><td>access token lifetime</td></tr>
 *   <tr><td>SAMPLE_REFRESH_TOKEN_SECONDS</td><td>sample.refresh-token-seconds</td><td>86400</td><td>refresh family lifetime</td></tr>
 *   <tr><td>SAMPLE_DEMO_ACCOUNTS</td><td>sample.demo-accounts</td><td>true</td><td>seed alice and bob</td></tr>
 *   <tr><td>SAMPLE_LOGIN_MAX_FAILURES</td><td>sample.login-max-failures</td><td>5</td><td>failures allowed per window</td></tr>
 *   <tr><td>SAMPLE_LOGIN_WINDOW_SECONDS</td><td>sample.login-window-seconds</td><td>900</td><td>throttling window</td></tr>
 *   <tr><td>SAMPLE_PBKDF2_ITERATIONS</td><td>sample.pbkdf2-iterations</td><td>600000</td>
 *       <td>for new password hashes (minimum 600000)</td></tr>
 * </table>
 */
public record SampleSettings(String host, String signingKey, Duration accessTokenLifetime,
                             Duration refreshTokenLifetime, boolean seedDemoAccounts, int loginMaxFailures,
                             Duration loginWindow, int pbkdf2Iterations) {

    public static final String PORT = "PORT";
    public static final String HOST = "SAMPLE_HOST";
    public static final String SIGNING_KEY = "SAMPLE_SIGNING_KEY";
    public static final String ACCESS_TOKEN_SECONDS = "SAMPLE_ACCESS_TOKEN_SECONDS";
    public static final String REFRESH_TOKEN_SECONDS = "SAMPLE_REFRESH_TOKEN_SECONDS";
    public static final String DEMO_ACCOUNTS = "SAMPLE_DEMO_ACCOUNTS";
    public static final String LOGIN_MAX_FAILURES = "SAMPLE_LOGIN_MAX_FAILURES";
    public static final String LOGIN_WINDOW_SECONDS = "SAMPLE_LOGIN_WINDOW_SECONDS";
    public static final String PBKDF2_ITERATIONS = "SAMPLE_PBKDF2_ITERATIONS";

    public static final int DEFAULT_PORT = 8080;
    /** OWASP's 2023 floor for PBKDF2-HMAC-SHA256. */
    public static final int MIN_PBKDF2_ITERATIONS = 600_000;

    public static SampleSettings from(ConfigSources sources) {
        Reader r = new Reader(sources);
        return new SampleSettings(
                r.host(HOST, "127.0.0.1"),
                r.text(SIGNING_KEY, null),
                Duration.ofSeconds(r.integer(ACCESS_TOKEN_SECONDS, 900, 60, 86_400)),
                Duration.ofSeconds(r.integer(REFRESH_TOKEN_SECONDS, 86_400, 60, 90 * 86_400)),
                r.bool(DEMO_ACCOUNTS, true),
                r.integer(LOGIN_MAX_FAILURES, 5, 1, 1000),
                Duration.ofSeconds(r.integer(LOGIN_WINDOW_SECONDS, 900, 1, 86_400)),
                r.integer(PBKDF2_ITERATIONS, MIN_PBKDF2_ITERATIONS, MIN_PBKDF2_ITERATIONS, 10_000_000));
    }

    /** {@code PORT} or {@code -Dport=}, default 8080. */
    public static int port(ConfigSources sources) {
        return new Reader(sources).integer(PORT, DEFAULT_PORT, 0, 65_535);
    }

    /** {@code SAMPLE_LOGIN_MAX_FAILURES} → {@code sample.login-max-failures}; {@code PORT} → {@code port}. */
    static String systemPropertyName(String environmentName) {
        String lower = environmentName.toLowerCase(Locale.ROOT);
        return lower.startsWith("sample_") ? "sample." + lower.substring(7).replace('_', '-') : lower.replace('_', '-');
    }

    private record Reader(ConfigSources sources) {

        String text(String name, String defaultValue) {
            String value = sources.environmentVariable(name);
            if (value == null) {
                value = sources.systemProperty(systemPropertyName(name));
            }
            return value == null || value.isBlank() ? defaultValue : value.trim();
        }

        /**
         * An address of this machine, or a name that resolves to one: else Jetty fails to bind later, after the local
         * Redis Cluster started, naming neither setting nor value. Tried by binding a free port on it, as Jetty will.
         */
        String host(String name, String defaultValue) {
            String host = text(name, defaultValue);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
                return host;
            } catch (IOException e) { // UnknownHostException, or BindException: not an address of this machine
                throw new ConfigurationException("Illegal value for [" + name + "]: [" + host
                        + "] (an address or host name of this machine to listen on)");
            }
        }

        int integer(String name, int defaultValue, int min, int max) {
            String text = text(name, null);
            if (text == null) {
                return defaultValue;
            }
            try {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigurationException("Illegal value for [" + name + "]: [" + text + "] (an integer from "
                    + min + " to " + max + ")");
        }

        boolean bool(String name, boolean defaultValue) {
            String text = text(name, null);
            if (text == null) {
                return defaultValue;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigurationException("Illegal value for [" + name + "]: [" + text
                        + "] (true or false)");
            };
        }
    }
}
