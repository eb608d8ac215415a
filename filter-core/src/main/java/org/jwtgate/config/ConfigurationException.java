package org.jwtgate.config;

import org.jwtgate.JwtGateException;

/**
 * A setting is unknown, missing, malformed or contradicts another one. The message names the
 * key and, unless the key holds a secret, the bad value in brackets.
 *
 * <pre>{@code
 * try {
 *     JwtGateConfig.of(Map.of(ConfigKeys.JWT_ISSUER, "https://issuer",
 *             ConfigKeys.JWT_JWKS_URI, "https://issuer/jwks.json", ConfigKeys.REVOCATION_STORE, "nosql"));
 * } catch (ConfigurationException e) {
 *     e.getMessage(); // Illegal value for setting [revocation.store]: [nosql]; expected one of redis-cluster, …
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public class ConfigurationException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    /**
     * A refused configuration.
     *
     * @param message names the key and, unless it is a secret, the bad value; never a secret's value
     */
    public ConfigurationException(String message) {
        super(oneLine(message));
    }

    /**
     * A refused configuration, with the failure that revealed it (an unreadable file, a malformed key).
     *
     * @param message names the key and, unless it is a secret, the bad value; never a secret's value
     * @param cause   the underlying failure
     */
    public ConfigurationException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Longer messages keep their start and their end (which names where the setting came from). */
    private static final int MAX_LENGTH = 1000;

    /**
     * The message as one bounded line: a value's line breaks and control characters written as escapes (a backslash,
     * u and four hex digits; a log line must not be split or forged by a value), and a 100,000-character value cut in
     * its middle.
     */
    static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder line = new StringBuilder(Math.min(message.length(), MAX_LENGTH + 64));
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                line.append(String.format("\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        if (line.length() <= MAX_LENGTH) {
            return line.toString();
        }
        int cut = line.length() - MAX_LENGTH;
        return line.substring(0, 700) + "…(" + cut + " more characters)…" + line.substring(line.length() - 300);
    }
}
