package org.jwtgate.config;

import org.jwtgate.JwtGateException;
import org.jwtgate.internal.log.Log;

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
        super(oneLine(SecretKeys.hidden(message)));
    }

    /**
     * A refused configuration, with the failure that revealed it (an unreadable file, a malformed key).
     *
     * @param message names the key and, unless it is a secret, the bad value; never a secret's value
     * @param cause   the underlying failure
     */
    public ConfigurationException(String message, Throwable cause) {
        super(oneLine(SecretKeys.hidden(message)), cause);
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
            if (Log.needsEscape(c)) { // as log lines escape them: a control, a line separator, a bidi control
                Log.appendEscaped(line, c);
            } else {
                line.append(c);
            }
        }
        if (line.length() <= MAX_LENGTH) {
            return line.toString();
        }
        int headEnd = cutPoint(line, 700);
        int tailStart = cutPoint(line, line.length() - 300);
        return line.substring(0, headEnd) + "…(" + (tailStart - headEnd) + " more characters)…" + line.substring(tailStart);
    }

    /** {@code at}, or before it: never inside an escape written above, nor between the halves of a surrogate pair. */
    private static int cutPoint(CharSequence line, int at) {
        for (int i = Math.max(0, at - 5); i < at; i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length() && line.charAt(i + 1) == 'u') {
                return i; // "\\u" and four hex digits, of which the cut would keep only some
            }
        }
        return at > 0 && Character.isHighSurrogate(line.charAt(at - 1)) ? at - 1 : at;
    }
}
