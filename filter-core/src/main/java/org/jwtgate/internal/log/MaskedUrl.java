package org.jwtgate.internal.log;

import java.net.URI;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as a log line, a message or the CLI may show it: scheme, host, port and path kept; a user part
 * ({@code user:password@}), the value of each query parameter and of each path segment's parameter
 * ({@code ;token=…}), and a fragment written {@code ****}. A key server's URL may carry an API key there
 * ({@code ?api_key=…}), and {@code jwt.jwks-uri} is logged at start-up and in every failed fetch's warning. Works on
 * the text, so a value no {@link URI} can parse is masked too: {@code
 * https://idp.example/jwks?api_key=s3cr3t&tenant=7} is shown {@code https://idp.example/jwks?api_key=****&tenant=****}.
 */
public final class MaskedUrl {

    private static final String MASK = "****";
    /** What an authority without a user part is made of: a host (or [IPv6]) and an optional numeric port. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]@]*)(:[0-9]*)?");

    private MaskedUrl() {
    }

    /** {@code url} with its user part, query values and fragment masked. */
    public static String of(String url) {
        int authority = afterScheme(url);
        int userEnd = userPartEnd(url, authority);
        String head = userEnd < 0 ? url.substring(0, authority) : url.substring(0, authority) + MASK + "@";
        // '?' and '#' are looked for after the user part only: a password may hold them.
        String rest = url.substring(userEnd < 0 ? authority : userEnd + 1);
        String fragment = "";
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = hash + 1 < rest.length() ? "#" + MASK : "#";
            rest = rest.substring(0, hash);
        }
        int question = rest.indexOf('?');
        String query = "";
        if (question >= 0) {
            query = "?" + maskedQuery(rest.substring(question + 1));
            rest = rest.substring(0, question);
        }
        int path = endOfAuthority(rest, 0);
        return head + rest.substring(0, path) + maskedPathParameters(rest.substring(path)) + query + fragment;
    }

    /**
     * Where the authority begins: after the first {@code scheme:} and its slashes, found anywhere, not only first (a
     * value pasted with what surrounded it, "…" or <…>, still has its user part), or 0. By hand, in one pass: the
     * regular expression this replaces ({@code [A-Za-z][A-Za-z0-9+.-]*:/*}, searched) rescanned a long run of letters
     * from each of its positions, seconds for a 40,000-character value.
     */
    private static int afterScheme(String url) {
        boolean letter = false; // a letter in the current run of scheme characters: one may start the scheme
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == ':' && letter) {
                int end = i + 1;
                while (end < url.length() && url.charAt(end) == '/') {
                    end++;
                }
                return end;
            }
            boolean isLetter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            boolean inScheme = isLetter || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
            letter = inScheme && (letter || isLetter);
        }
        return 0;
    }

    /** As {@link #of(String)}. */
    public static String of(URI uri) {
        return of(uri.toString());
    }

    /**
     * Whether an '@' after the scheme belongs to a user part. A password may hold '/', '?' or '#', so the
     * authority is not simply what comes before the first of them: an '@' further on is in the path or query
     * (Firebase's JWKS URL has one) only when what comes before that first '/', '?' or '#' is a plain host
     * and port.
     */
    public static boolean hasUserInfo(String url) {
        int scheme = url.indexOf("://");
        return scheme >= 0 && userPartEnd(url, scheme + 3) >= 0;
    }

    /**
     * The index of the '@' that ends the user part of the authority starting at {@code start}, or -1 without one:
     * the first '@' followed by a plain host and port, else the last '@' (nothing of a password shown).
     */
    private static int userPartEnd(String url, int start) {
        // One matcher over regions, and each authority's end found once: a copy and a scan per '@' were quadratic.
        Matcher hostAndPort = HOST_AND_PORT.matcher(url);
        if (url.indexOf('@', start) < 0 || hostAndPort.region(start, endOfAuthority(url, start)).matches()) {
            return -1;
        }
        int end = -1;
        for (int at = url.indexOf('@', start); at >= 0; at = url.indexOf('@', at + 1)) {
            if (at >= end) {
                end = endOfAuthority(url, at + 1); // the same for every '@' before it
            }
            if (hostAndPort.region(at + 1, end).matches()) {
                return at;
            }
        }
        return url.lastIndexOf('@');
    }

    private static int endOfAuthority(String url, int start) {
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return end;
    }

    /**
     * {@code /jwks;token=1;k} → {@code /jwks;token=****;****}: each segment's parameters (RFC 3986 §3.3, the
     * {@code ;jsessionid=} form), which a key server may take a key in, masked as query items are.
     */
    private static String maskedPathParameters(String path) {
        if (path.indexOf(';') < 0) {
            return path;
        }
        StringJoiner segments = new StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            int semicolon = segment.indexOf(';');
            segments.add(semicolon < 0 ? segment : segment.substring(0, semicolon + 1)
                    + maskedItems(segment.substring(semicolon + 1), ";"));
        }
        return segments.toString();
    }

    /** {@code a=1&b&c=} → {@code a=****&****&c=}: names kept, values masked; a bare item may be a key itself. */
    private static String maskedQuery(String query) {
        return maskedItems(query, "&");
    }

    /** {@code items} split at {@code separator}, each {@code name=value} as {@code name=****} and a bare one as {@code ****}. */
    private static String maskedItems(String items, String separator) {
        if (items.isEmpty()) {
            return items;
        }
        StringJoiner masked = new StringJoiner(separator);
        for (String item : items.split(Pattern.quote(separator), -1)) {
            int equals = item.indexOf('=');
            if (equals < 0) {
                masked.add(item.isEmpty() ? item : MASK);
            } else {
                masked.add(item.substring(0, equals + 1) + (equals + 1 < item.length() ? MASK : ""));
            }
        }
        return masked.toString();
    }
}
