package org.jwtgate.internal.log;

import java.net.URI;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as a log line, a message or the CLI may show it: scheme, host, port and path kept; a user part
 * ({@code user:password@}), the value of each query parameter and a fragment written {@code ****}. A key server's
 * URL may carry an API key in its query ({@code ?api_key=…}), and {@code jwt.jwks-uri} is logged at start-up and
 * in every failed fetch's warning. Works on the text, so a value no {@link URI} can parse is masked too: {@code
 * https://idp.example/jwks?api_key=s3cr3t&tenant=7} is shown {@code https://idp.example/jwks?api_key=****&tenant=****}.
 */
public final class MaskedUrl {

    private static final String MASK = "****";
    /** What an authority without a user part is made of: a host (or [IPv6]) and an optional numeric port. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]@]*)(:[0-9]*)?");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/*");

    private MaskedUrl() {
    }

    /** {@code url} with its user part, query values and fragment masked. */
    public static String of(String url) {
        // Found anywhere, not only first: a value pasted with what surrounded it ("…", <…>) still has its user part.
        Matcher scheme = SCHEME.matcher(url);
        int authority = scheme.find() ? scheme.end() : 0;
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
        if (question >= 0) {
            rest = rest.substring(0, question) + "?" + maskedQuery(rest.substring(question + 1));
        }
        return head + rest + fragment;
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
        if (url.indexOf('@', start) < 0 || HOST_AND_PORT.matcher(url.substring(start, endOfAuthority(url, start))).matches()) {
            return -1;
        }
        for (int at = url.indexOf('@', start); at >= 0; at = url.indexOf('@', at + 1)) {
            if (HOST_AND_PORT.matcher(url.substring(at + 1, endOfAuthority(url, at + 1))).matches()) {
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

    /** {@code a=1&b&c=} → {@code a=****&****&c=}: names kept, values masked; a bare item may be a key itself. */
    private static String maskedQuery(String query) {
        if (query.isEmpty()) {
            return query;
        }
        StringJoiner masked = new StringJoiner("&");
        for (String item : query.split("&", -1)) {
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
