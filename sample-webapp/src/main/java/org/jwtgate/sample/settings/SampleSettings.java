package org.jwtgate.sample.settings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
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
 *   <tr><td>SAMPLE_HOST</td><td>sample.host</td><td>127.0.0.1</td><td>address to listen on; one other than a
 *       loopback address needs SAMPLE_DEMO_ACCOUNTS=false</td></tr>
 *   <tr><td>SAMPLE_SIGNING_KEY</td><td>sample.signing-key</td><td>none</td><td>PEM PKCS#8 private key
 *       (file path or inline) signing access tokens with RS256/ES256/ES384/ES512/EdDSA</td></tr>
 *   <tr><td>SAMPLE_ACCESS_TOKEN_SECONDS</td><td>sample.access-token-seconds</td><td>900</td><td>access token lifetime</td></tr>
 *   <tr><td>SAMPLE_REFRESH_TOKEN_SECONDS</td><td>sample.refresh-token-seconds</td><td>86400</td><td>refresh family lifetime</td></tr>
 *   <tr><td>SAMPLE_DEMO_ACCOUNTS</td><td>sample.demo-accounts</td><td>true</td><td>seed alice and bob (only with
 *       a loopback SAMPLE_HOST: else the start stops)</td></tr>
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

    /** The {@code SAMPLE_*} settings, each also read as a system property ({@link #systemPropertyName}). */
    private static final List<String> SAMPLE_NAMES = List.of(HOST, SIGNING_KEY, ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS,
            DEMO_ACCOUNTS, LOGIN_MAX_FAILURES, LOGIN_WINDOW_SECONDS, PBKDF2_ITERATIONS);
    private static final String ENVIRONMENT_PREFIX = "SAMPLE_";
    private static final String SYSTEM_PROPERTY_PREFIX = "sample.";
    /** A number as JwtGate's own settings take one (filter-core's SettingParser): ASCII digits, no plus sign. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    public static final int DEFAULT_PORT = 8080;
    /** OWASP's 2023 floor for PBKDF2-HMAC-SHA256. */
    public static final int MIN_PBKDF2_ITERATIONS = 600_000;

    /** Without the signing key (a PEM private key, or its path): a record's own toString would print it. */
    @Override
    public String toString() {
        return "SampleSettings[host=" + host + ", signingKey=****, accessTokenLifetime=" + accessTokenLifetime
                + ", refreshTokenLifetime=" + refreshTokenLifetime + ", seedDemoAccounts=" + seedDemoAccounts
                + ", loginMaxFailures=" + loginMaxFailures + ", loginWindow=" + loginWindow + ", pbkdf2Iterations="
                + pbkdf2Iterations + "]";
    }

    public static SampleSettings from(ConfigSources sources) {
        Reader r = new Reader(sources);
        SampleSettings settings = new SampleSettings(
                r.host(HOST, "127.0.0.1"),
                r.text(SIGNING_KEY, null),
                Duration.ofSeconds(r.integer(ACCESS_TOKEN_SECONDS, 900, 60, 86_400)),
                Duration.ofSeconds(r.integer(REFRESH_TOKEN_SECONDS, 86_400, 60, 90 * 86_400)),
                r.bool(DEMO_ACCOUNTS, true),
                r.integer(LOGIN_MAX_FAILURES, 5, 1, 1000),
                Duration.ofSeconds(r.integer(LOGIN_WINDOW_SECONDS, 900, 1, 86_400)),
                r.integer(PBKDF2_ITERATIONS, MIN_PBKDF2_ITERATIONS, MIN_PBKDF2_ITERATIONS, 10_000_000));
        if (settings.seedDemoAccounts() && !isLoopback(settings.host())) {
            // Else SAMPLE_HOST=0.0.0.0 served alice and bob, whose passwords are public (bob is an administrator), to
            // the network with no more than the INFO lines of their seeding.
            throw new ConfigurationException("Setting [" + HOST + "] is [" + settings.host() + "], not a loopback"
                    + " address, and [" + DEMO_ACCOUNTS + "] is true: the demo accounts, whose passwords are public"
                    + " (bob is an administrator), would be served to the network: set " + DEMO_ACCOUNTS + "=false,"
                    + " or " + HOST + " to a loopback address (127.0.0.1, the default, or ::1)");
        }
        return settings;
    }

    /** Whether Jetty, listening on {@code host} (an address of this machine), is reached from this machine only. */
    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) { // resolved a moment ago, in Reader.host
            return false;
        }
    }

    /** {@code PORT} or {@code -Dport=}, default 8080. */
    public static int port(ConfigSources sources) {
        return new Reader(sources).integer(PORT, DEFAULT_PORT, 0, 65_535);
    }

    /**
     * Refuses a {@code SAMPLE_*} environment variable or {@code sample.*} system property the sample does not read,
     * and a setting's variable ({@code PORT} included) written in lower case, as JwtGate refuses its own: a typo was
     * ignored without a word, and {@code SAMPLE_DEMO_ACCOUNT=false} left the demo accounts, whose passwords are public,
     * seeded. The message names the variable or property, never its value (a misspelt {@code SAMPLE_SIGNING_KEY} holds
     * a private key).
     */
    public static void requireKnownNames(Collection<String> environmentNames, Collection<String> systemPropertyNames) {
        for (String name : environmentNames) {
            String upper = name.toUpperCase(Locale.ROOT);
            // PORT too: port=9090 was ignored, and the sample started on 8080.
            boolean miscased = !name.equals(upper) && (SAMPLE_NAMES.contains(upper) || PORT.equals(upper));
            if (name.startsWith(ENVIRONMENT_PREFIX) ? !SAMPLE_NAMES.contains(name) : miscased) {
                throw unknown("environment variable", name, miscased ? upper : nearest(upper, SAMPLE_NAMES));
            }
        }
        List<String> properties = SAMPLE_NAMES.stream().map(SampleSettings::systemPropertyName).toList();
        for (String name : systemPropertyNames) {
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX) && !properties.contains(name)) {
                throw unknown("system property", name, nearest(name.toLowerCase(Locale.ROOT), properties));
            }
        }
    }

    private static ConfigurationException unknown(String kind, String name, String nearest) {
        return new ConfigurationException("Unknown " + kind + " [" + name + "]" + (nearest != null
                ? "; did you mean [" + nearest + "]?"
                : "; the sample reads " + String.join(", ", SAMPLE_NAMES) + " (as system properties sample.*) and PORT"));
    }

    /** The name within a few edits of {@code unknown}, or null. */
    private static String nearest(String unknown, List<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int distance = distance(unknown, name);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = name;
            }
        }
        return bestDistance <= Math.max(2, unknown.length() / 4) ? best : null;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** {@code SAMPLE_LOGIN_MAX_FAILURES} → {@code sample.login-max-failures}; {@code PORT} → {@code port}. */
    static String systemPropertyName(String environmentName) {
        String lower = environmentName.toLowerCase(Locale.ROOT);
        return lower.startsWith("sample_") ? "sample." + lower.substring(7).replace('_', '-') : lower.replace('_', '-');
    }

    private record Reader(ConfigSources sources) {

        String text(String name, String defaultValue) {
            String value = sources.environmentVariable(name);
            String origin = "environment variable";
            if (value == null) {
                value = sources.systemProperty(systemPropertyName(name));
                origin = "system property [" + systemPropertyName(name) + "]";
            }
            if (value != null && value.isBlank()) {
                // Read as unset, SAMPLE_DEMO_ACCOUNTS= would seed the demo accounts; JwtGate refuses its own alike.
                throw new ConfigurationException("Setting [" + name + "] is empty in " + origin
                        + "; give it a value or remove it");
            }
            int undecoded = value == null ? -1 : value.indexOf('\uFFFD');
            // An inline key's text around its block is skipped by the PEM parser, as jwt.public-key's (openssl's
            // "friendlyName: Schlüssel" of an export given as "$(cat key.pem)").
            if (undecoded >= 0 && !(name.equals(SIGNING_KEY) && value.contains("-----BEGIN"))) {
                // As JwtGate's own settings: what a JVM without a UTF-8 locale (systemd, cron) reads for each byte of "é".
                throw new ConfigurationException("Setting [" + name + "] in " + origin + " holds U+FFFD at position "
                        + (undecoded + 1) + ", which stands for bytes this JVM's locale could not decode (no LANG, as"
                        + " under systemd or cron?); run the JVM with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
            }
            return value == null ? defaultValue : value.trim();
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
                // As JwtGate's own settings (SettingParser): ASCII digits after an optional minus, as Integer.parseInt
                // also takes "+5" and other scripts' digits ("５", Arabic-Indic); "-0" has a sign, refused as "+0" is.
                if (!WHOLE_NUMBER.matcher(text).matches()) {
                    throw new NumberFormatException();
                }
                int value = Integer.parseInt(text);
                if (value >= min && value <= max && !(value == 0 && text.charAt(0) == '-')) {
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
