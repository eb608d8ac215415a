package org.jwtgate.config;

/**
 * Where the token is read from and how claims map to the principal.
 *
 * @param cookie the cookie name, or null when cookies are disabled
 * @param cacheSize entries of the verified-token cache; 0 disables it
 */
public record TokenSettings(String header, String cookie, int maxLength, int cacheSize,
                            String principalClaim, String rolesClaim) {
}
