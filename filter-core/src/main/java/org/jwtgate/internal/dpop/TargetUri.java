package org.jwtgate.internal.dpop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The form in which a proof's {@code htu} and the request's URI are compared (RFC 9449 §4.3 step 9):
 * query and fragment dropped, then RFC 3986's syntax-based normalisation (§6.2.2: case of scheme, host
 * and percent-encodings; percent-encoded unreserved characters decoded; dot segments removed) and
 * scheme-based normalisation (§6.2.3: default port dropped, empty path is {@code /}). A trailing slash
 * stays significant, and so does an encoded reserved character ({@code %2F} is not {@code /}).
 */
public final class TargetUri {

    private TargetUri() {
    }

    /**
     * @return {@code scheme://host[:port]/path} normalised, or {@code null} when {@code uri} is not an
     * absolute http(s) URI with a host, or has a user part or a broken percent-encoding
     */
    public static String normalize(String uri) {
        if (uri == null) {
            return null;
        }
        int end = uri.length();
        int fragment = uri.indexOf('#');
        if (fragment >= 0) {
            end = fragment;
        }
        int query = uri.indexOf('?');
        if (query >= 0 && query < end) {
            end = query;
        }
        String text = uri.substring(0, end);
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            return null;
        }
        String scheme = asciiLowerCase(text.substring(0, schemeEnd));
        int defaultPort;
        if (scheme.equals("https")) {
            defaultPort = 443;
        } else if (scheme.equals("http")) {
            defaultPort = 80;
        } else {
            return null;
        }
        int authorityStart = schemeEnd + 3;
        int pathStart = text.indexOf('/', authorityStart);
        String authority = pathStart < 0 ? text.substring(authorityStart) : text.substring(authorityStart, pathStart);
        String path = pathStart < 0 ? "" : text.substring(pathStart);
        String origin = origin(scheme, authority, defaultPort);
        if (origin == null) {
            return null;
        }
        String normalizedPath = normalizePath(path);
        return normalizedPath == null ? null : origin + normalizedPath;
    }

    /**
     * A–Z lower-cased, nothing else (RFC 3986 §6.2.2.1): Java's toLowerCase maps the Kelvin sign (U+212A) to ASCII
     * {@code k}, so {@code https://\u212Aey.example/x} met {@code https://key.example/x}.
     */
    private static String asciiLowerCase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    /** {@code scheme://host[:port]}, the port only when it is not the scheme's default. */
    private static String origin(String scheme, String authority, int defaultPort) {
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            return null;
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = asciiLowerCase(authority.substring(0, close + 1));
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return null;
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = asciiLowerCase(colon < 0 ? authority : authority.substring(0, colon));
            port = colon < 0 ? "" : authority.substring(colon + 1);
            host = isRegName(host) ? normalizeEncodings(host, false) : null;
            if (host == null || host.isEmpty()) {
                return null;
            }
        }
        int portNumber = defaultPort;
        if (!port.isEmpty()) {
            if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            portNumber = Integer.parseInt(port);
            if (portNumber > 65_535) {
                return null;
            }
        }
        return scheme + "://" + host + (portNumber == defaultPort ? "" : ":" + portNumber);
    }

    /**
     * RFC 3986's reg-name (an IPv4 address included), as written, percent-encodings included: no ':' above all, which
     * {@code http://api.example:8080:80/x} would leave in a host {@code api.example:8080} meeting that origin's URIs.
     */
    private static boolean isRegName(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a container may serve {@code rawPath} from another resource than the one it names after RFC 3986
     * normalisation, which is what the proof's {@code htu} is compared in: Tomcat drops {@code ;params} from
     * each segment and merges {@code //} before it resolves dot segments, so {@code /a/b//../c} serves
     * {@code /a/c} and {@code /a/b/..;/c} serves {@code /c}, while both normalise to a path a proof for
     * {@code /a/b/c} names. Clients send normalised paths: an interior empty segment or any dot segment
     * (encoded, or with parameters, included) makes no request URI a proof can match.
     */
    public static boolean isAmbiguousPath(String rawPath) {
        int start = rawPath.startsWith("/") ? 1 : 0;
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            boolean last = end < 0;
            String segment = rawPath.substring(start, last ? rawPath.length() : end);
            if (segment.isEmpty() && !last) {
                return true;
            }
            int parameters = segment.indexOf(';');
            String name = (parameters < 0 ? segment : segment.substring(0, parameters)).replace("%2e", ".")
                    .replace("%2E", ".");
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
            if (last) {
                return false;
            }
            start = end + 1;
        }
        return false;
    }

    private static String normalizePath(String path) {
        if (path.isEmpty()) {
            return "/";
        }
        String encoded = normalizeEncodings(path, true);
        return encoded == null ? null : removeDotSegments(encoded);
    }

    /**
     * Upper-case hex in percent-encodings, unreserved characters decoded, and every character a URI
     * may not hold there percent-encoded as UTF-8 — the same on both sides, so only equivalent URIs compare equal.
     */
    private static String normalizeEncodings(String text, boolean path) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int high = hexValue(text.charAt(i + 1));
                int low = hexValue(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return null;
                }
                char decoded = (char) (high * 16 + low);
                if (isUnreserved(decoded)) {
                    out.append(path ? decoded : Character.toLowerCase(decoded));
                } else {
                    appendEncoded(out, decoded);
                }
                i += 2;
            } else if (isUnreserved(c) || isSubDelimiter(c) || c == ':' || c == '@' || (path && c == '/')) {
                out.append(c);
            } else {
                // By code point: a character beyond the BMP is two chars, and either alone encodes as "?".
                int codePoint = text.codePointAt(i);
                if (Character.isSurrogate(c) && !Character.isSupplementaryCodePoint(codePoint)) {
                    return null; // a lone surrogate names no character
                }
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    appendEncoded(out, (char) (b & 0xFF));
                }
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toString();
    }

    /** An ASCII hex digit's value, else -1 (Character.digit would take other scripts' digits too). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static void appendEncoded(StringBuilder out, char octet) {
        out.append('%').append(Character.toUpperCase(Character.forDigit(octet >> 4, 16)))
                .append(Character.toUpperCase(Character.forDigit(octet & 0xF, 16)));
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isSubDelimiter(char c) {
        return "!$&'()*+,;=".indexOf(c) >= 0;
    }

    /** RFC 3986 §5.2.4 on an absolute path. */
    private static String removeDotSegments(String path) {
        Deque<String> output = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    output.addLast("");
                }
            } else if (segment.equals("..")) {
                output.pollLast();
                if (last) {
                    output.addLast("");
                }
            } else {
                output.addLast(segment);
            }
        }
        return "/" + String.join("/", output);
    }
}
