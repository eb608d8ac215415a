package org.jwtgate.internal.token;

import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jwtgate.config.TokenSettings;

/**
 * Finds the bearer token of a request: the configured header ({@code Bearer <token>}, scheme
 * case-insensitive, RFC 6750 §2.1) first, then the configured cookie. Never reads the query
 * string or the body. Two headers, a malformed value, or a header and a cookie that disagree
 * make the request malformed (400 {@code invalid_request}). With DPoP on, the header may also
 * carry {@code DPoP <token>} (RFC 9449 §7.1, same token syntax); with DPoP off that scheme is
 * someone else's, like {@code Basic}.
 */
public final class BearerTokenResolver {

    private static final String SCHEME = "bearer";
    private static final String DPOP_SCHEME = "dpop";
    private static final String COOKIE_HEADER = "Cookie";
    /** RFC 9110 §5.6.2 tchar besides letters and digits. */
    private static final String SCHEME_NAME_PUNCTUATION = "!#$%&'*+-.^_`|~";
    /** RFC 6750 b64token characters ({@link #isTokenChar}), by code point: one lookup per character, no branches. */
    private static final boolean[] TOKEN_CHARS = new boolean[128];

    static {
        for (char c = 0; c < TOKEN_CHARS.length; c++) {
            TOKEN_CHARS[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
        }
    }

    private final String headerName;
    private final String cookieName;
    private final int maxLength;
    private final boolean dpop;

    public BearerTokenResolver(TokenSettings settings) {
        this(settings, false);
    }

    /** @param dpop whether {@code Authorization: DPoP <token>} is recognised ({@code dpop.mode} allowed or required) */
    public BearerTokenResolver(TokenSettings settings, boolean dpop) {
        this.headerName = settings.header();
        this.cookieName = settings.cookie();
        // Oversized tokens are passed on so the verifier refuses them as invalid_token without parsing.
        this.maxLength = settings.maxLength();
        this.dpop = dpop;
    }

    public ResolvedToken resolve(HttpServletRequest request) {
        ResolvedToken fromHeader = fromHeader(request);
        if (fromHeader.kind() == ResolvedToken.Kind.MALFORMED) {
            return fromHeader;
        }
        ResolvedToken fromCookie = fromCookie(request);
        if (fromCookie.kind() == ResolvedToken.Kind.MALFORMED) {
            return fromCookie;
        }
        if (fromHeader.kind() == ResolvedToken.Kind.PRESENT) {
            if (fromCookie.kind() == ResolvedToken.Kind.PRESENT && !fromCookie.token().equals(fromHeader.token())) {
                return ResolvedToken.malformed(fromHeader.scheme());
            }
            return fromHeader;
        }
        return fromCookie;
    }

    private ResolvedToken fromHeader(HttpServletRequest request) {
        SingleHeader header = SingleHeader.read(request, headerName);
        if (header.repeated()) {
            return ResolvedToken.malformed();
        }
        String value = header.value();
        if (value == null) {
            return ResolvedToken.absent();
        }
        // RFC 9110 §5.5: a field value's leading and trailing OWS (SP, HTAB) is no part of it; Jetty and Tomcat trim it
        // already, a wrapper's value may still hold it.
        String trimmed = withoutOws(value);
        if (!trimmed.isEmpty() && (Character.isWhitespace(trimmed.charAt(0)) || Character.isSpaceChar(trimmed.charAt(0))
                || Character.isISOControl(trimmed.charAt(0)))) {
            // Other white space or a control before the scheme (a wrapper's value: the containers refuse it): malformed,
            // not "another scheme", which would let a cookie's token stand for the request.
            return ResolvedToken.malformed();
        }
        if (dpop && trimmed.regionMatches(true, 0, DPOP_SCHEME, 0, DPOP_SCHEME.length())
                && (trimmed.length() == DPOP_SCHEME.length() || !continuesSchemeName(trimmed.charAt(DPOP_SCHEME.length())))) {
            return dpopToken(trimmed);
        }
        if (trimmed.length() < SCHEME.length() || !trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            // Another scheme (Basic, Digest...) belongs to someone else: no bearer token here.
            return ResolvedToken.absent();
        }
        if (trimmed.length() == SCHEME.length()) {
            return ResolvedToken.malformed();
        }
        if (trimmed.charAt(SCHEME.length()) != ' ') {
            // "Bearer-v2 …" is another scheme; "Bearer\t…" or "Bearer:…" a malformed bearer one.
            return continuesSchemeName(trimmed.charAt(SCHEME.length())) ? ResolvedToken.absent() : ResolvedToken.malformed();
        }
        String token = afterSpaces(trimmed, SCHEME.length());
        return isB64Token(token) ? ResolvedToken.present(token, TokenSource.HEADER) : ResolvedToken.malformed();
    }

    /** {@code DPoP <token68>}: one or more spaces, then the token (RFC 9449 §7.1, RFC 9110 §11.4's {@code 1*SP}). */
    private ResolvedToken dpopToken(String header) {
        if (header.length() <= DPOP_SCHEME.length() + 1 || header.charAt(DPOP_SCHEME.length()) != ' ') {
            return ResolvedToken.malformed(ResolvedToken.Scheme.DPOP);
        }
        String token = afterSpaces(header, DPOP_SCHEME.length());
        return isB64Token(token) ? ResolvedToken.presentDpop(token) : ResolvedToken.malformed(ResolvedToken.Scheme.DPOP);
    }

    private ResolvedToken fromCookie(HttpServletRequest request) {
        if (cookieName == null) {
            return ResolvedToken.absent();
        }
        if (!(request instanceof ServletRequestWrapper) && request.getHeader(COOKIE_HEADER) == null) {
            // The container's own request has cookies only from a Cookie header: without one, skip its cookie
            // parsing (Jetty builds and caches an empty cookie list in the request's attributes). A wrapper of
            // another filter may supply cookies of its own, so it is always asked.
            return ResolvedToken.absent();
        }
        Cookie[] cookies;
        try {
            cookies = request.getCookies();
        } catch (IllegalArgumentException e) {
            // Jetty 12 with a legacy cookie compliance parses names (such as "(" or "a/b") that Cookie's constructor
            // refuses, and getCookies() throws: a malformed request, not a 500.
            return ResolvedToken.malformed();
        }
        if (cookies == null) {
            return ResolvedToken.absent();
        }
        String found = null;
        for (Cookie cookie : cookies) {
            if (!cookieName.equals(cookie.getName())) {
                continue;
            }
            String value = cookie.getValue() == null ? "" : cookie.getValue();
            if (value.isEmpty()) {
                continue; // a cleared cookie is no token
            }
            if (!isB64Token(value) || (found != null && !found.equals(value))) {
                return ResolvedToken.malformed();
            }
            found = value;
        }
        return found == null ? ResolvedToken.absent() : ResolvedToken.present(found, TokenSource.COOKIE);
    }

    /** {@code value} without leading and trailing SP and HTAB (RFC 9110 §5.6.3 OWS), and no other character. */
    private static String withoutOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * What follows the spaces after the scheme, which ends at {@code schemeEnd} (RFC 6750 §2.1 {@code "Bearer" 1*SP
     * b64token}, RFC 9110 §11.4 {@code auth-scheme [ 1*SP token68 ]}): only SP is skipped, so a tab after them stays
     * in the token, which is then malformed, as a tab right after the scheme is.
     */
    private static String afterSpaces(String header, int schemeEnd) {
        int start = schemeEnd;
        while (start < header.length() && header.charAt(start) == ' ') {
            start++;
        }
        return header.substring(start);
    }

    /**
     * A character that may continue an auth-scheme name (RFC 9110 §11.1: a token, so any tchar; letters beyond ASCII
     * too, as before): after "Bearer" or "DPoP" it makes the header another scheme's, which is no token of ours.
     */
    private static boolean continuesSchemeName(char c) {
        return Character.isLetterOrDigit(c) || SCHEME_NAME_PUNCTUATION.indexOf(c) >= 0;
    }

    /** RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    private boolean isB64Token(String token) {
        if (token.isEmpty()) {
            return false;
        }
        // Up to one character past token.max-length: enough to tell two folded tokens or a stray space (400) from one
        // token that is too long (401, refused later before any parsing), at a cost token.max-length bounds.
        int i = 0;
        int n = token.length() > maxLength ? maxLength + 1 : token.length(); // maxLength is at most 1048576
        while (i < n && isTokenChar(token.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < n && token.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }

    /** ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/": a table lookup, since a token's characters are random. */
    private static boolean isTokenChar(char c) {
        return c < TOKEN_CHARS.length && TOKEN_CHARS[c];
    }
}
