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
 * @param header         {@code token.header}: the header carrying {@code Bearer <token>}
 * @param cookie         {@code token.cookie}: the cookie name, or null when cookies are disabled
 * @param maxLength      {@code token.max-length}: longer tokens, in characters, are refused before any parsing
 * @param cacheSize      {@code token.cache-size}: entries of the verified-token cache; 0 disables it
 * @param principalClaim {@code claims.principal}: the claim that names the principal
 * @param rolesClaim     {@code claims.roles}: the claim, or dotted path, holding the roles
 * @since 1.0.0
 */
public record TokenSettings(String header, String cookie, int maxLength, int cacheSize,
                            String principalClaim, String rolesClaim) {
}
