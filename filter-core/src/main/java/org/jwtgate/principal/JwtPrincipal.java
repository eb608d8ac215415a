package org.jwtgate.principal;

import java.io.Serializable;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller: a verified token's principal name, roles and claims. Immutable.
 * Holds no token string, so logging or serializing it never leaks a credential.
 *
 * <pre>{@code
 * JwtPrincipal user = (JwtPrincipal) request.getUserPrincipal();   // behind JwtAuthFilter
 * user.getName();             // the claims.principal claim (sub by default)
 * user.hasRole("admin");      // from the claims.roles claim
 * user.claim("email");        // any claim, as an immutable JSON value
 * }</pre>
 *
 * @since 1.0.0
 */
public final class JwtPrincipal implements Principal, Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String subject;
    private final String issuer;
    private final String tokenId;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final Set<String> roles;
    private final Map<String, Object> claims;

    /** @throws IllegalArgumentException when the claims nest objects or arrays more than 64 levels deep */
    public JwtPrincipal(String name, String subject, String issuer, String tokenId, Instant issuedAt,
                        Instant expiresAt, Set<String> roles, Map<String, Object> claims) {
        this.name = Objects.requireNonNull(name, "name");
        this.subject = subject;
        this.issuer = issuer;
        this.tokenId = tokenId;
        this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        this.roles = Set.copyOf(roles);
        this.claims = ImmutableJson.copyOf(claims);
    }

    /** The value of the configured principal claim ({@code claims.principal}, {@code sub} by default). */
    @Override
    public String getName() {
        return name;
    }

    /** The {@code sub} claim; null if the token has none. */
    public String subject() {
        return subject;
    }

    /** The {@code iss} claim. */
    public String issuer() {
        return issuer;
    }

    /** The {@code jti} claim; null if the token has none. */
    public String tokenId() {
        return tokenId;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Set<String> roles() {
        return roles;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Every claim of the token, as immutable JSON values (String, Number, Boolean, List, Map, null). */
    public Map<String, Object> claims() {
        return claims;
    }

    public Object claim(String name) {
        return claims.get(name);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JwtPrincipal that && name.equals(that.name) && Objects.equals(issuer, that.issuer)
                && Objects.equals(tokenId, that.tokenId) && issuedAt.equals(that.issuedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, issuer, tokenId, issuedAt);
    }

    @Override
    public String toString() {
        return "JwtPrincipal[name=" + name + ", roles=" + roles + ", jti=" + tokenId + ", exp=" + expiresAt + "]";
    }
}
