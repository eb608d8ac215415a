package org.jwtgate.config;

/**
 * Where the token is read from and how claims map to the principal.
 *
 * <pre>{@code
 * TokenSettings token = config.token();
 * token.header();   // "Authorization"
 * token.cookie();   // "access_token", or null when cookies are disabled
 * }</pre>
 *
 * @param cookie the cookie name, or null when cookies are disabled
 * @param cacheSize entries of the verified-token cache; 0 disables it
 *
 * @since 1.0.0
 */
public record TokenSettings(String header, String cookie, int maxLength, int cacheSize,
                            String principalClaim, String rolesClaim) {
}
