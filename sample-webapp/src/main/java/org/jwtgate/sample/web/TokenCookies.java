package org.jwtgate.sample.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Cookie;
import java.time.Duration;

/**
 * The two cookies, written by hand so every attribute is exactly as documented:
 * {@code access_token} (HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=lifetime) and
 * {@code refresh_token} (same, but Path=/refresh so it is only ever sent to the refresh endpoint).
 * Browsers treat http://localhost as a secure context, so Secure cookies work there too.
 */
public final class TokenCookies {

    public static final String REFRESH_COOKIE = "refresh_token";
    public static final String REFRESH_PATH = "/refresh";

    private final String accessCookie;

    /** @param accessCookie the filter's {@code token.cookie}, or null when cookies are off */
    public TokenCookies(String accessCookie) {
        this.accessCookie = accessCookie;
    }

    /** Whether the access token travels in a cookie ({@code token.cookie} not empty). */
    public boolean carriesAccessToken() {
        return accessCookie != null;
    }

    public void set(HttpServletResponse response, String accessToken, Duration accessLifetime, String refreshToken,
                    Duration refreshLifetime) {
        if (accessCookie != null) {
            response.addHeader("Set-Cookie", cookie(accessCookie, accessToken, "/", accessLifetime.toSeconds()));
        }
        response.addHeader("Set-Cookie", cookie(REFRESH_COOKIE, refreshToken, REFRESH_PATH, refreshLifetime.toSeconds()));
    }

    /** The refresh cookie, and the access cookie cleared: for DPoP-bound tokens, which never travel in a cookie. */
    public void setRefreshOnly(HttpServletResponse response, String refreshToken, Duration refreshLifetime) {
        set(response, "", Duration.ZERO, refreshToken, refreshLifetime);
    }

    public void clear(HttpServletResponse response) {
        if (accessCookie != null) {
            response.addHeader("Set-Cookie", cookie(accessCookie, "", "/", 0));
        }
        response.addHeader("Set-Cookie", cookie(REFRESH_COOKIE, "", REFRESH_PATH, 0));
    }

    /** The refresh cookie's value, or null; two different values are ambiguous (400). */
    public static String refreshToken(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        String found = null;
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (REFRESH_COOKIE.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                    if (found != null && !found.equals(cookie.getValue())) {
                        throw new BadRequestException("Two different refresh_token cookies");
                    }
                    found = cookie.getValue();
                }
            }
        }
        return found;
    }

    private static String cookie(String name, String value, String path, long maxAgeSeconds) {
        return name + "=" + value + "; Max-Age=" + maxAgeSeconds + "; Path=" + path + "; Secure; HttpOnly; SameSite=Strict";
    }
}
