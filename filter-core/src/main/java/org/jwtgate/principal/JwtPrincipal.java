package org.jwtgate.principal;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.jwtgate.internal.log.AuditLog;

/**
 * The authenticated caller: a verified token's principal name, roles and claims. Immutable.
 * Holds no token string, so logging or serializing it never leaks a credential.
 *
 * <pre>{@code
 * JwtPrincipal user = (JwtPrincipal) request.getUserPrincipal();   // behind JwtAuthFilter
 * user.getName();             // the claims.principal claim (sub by default)
 * user.hasRole("admin");      // from the claims.roles claim
 * user.claim("email");        // any claim, as an immutable JSON value
 * user.dpopThumbprint();      // the cnf.jkt a DPoP-bound token carries (RFC 9449), else empty
 * user.isSenderConstrained(); // whether this request proved possession of that key with a DPoP proof
 * }</pre>
 *
 * @since 1.0.0
 */
public final class JwtPrincipal implements Principal, Serializable {

    private static final long serialVersionUID = 1L;

    /** The principal claim's value; never null. */
    private final String name;
    /** {@code sub}, or null. */
    private final String subject;
    /** {@code iss}, or null. */
    private final String issuer;
    /** {@code jti}, or null. */
    private final String tokenId;
    /** {@code iat}; never null. */
    private final Instant issuedAt;
    /** {@code exp}; never null. */
    private final Instant expiresAt;
    /** The roles, immutable. */
    private final Set<String> roles;
    /** Every claim, deeply immutable. */
    private final Map<String, Object> claims;
    /** {@code cnf.jkt} when a non-empty string, else null. */
    private final String dpopThumbprint;
    /** Whether a DPoP proof by the bound key was verified on this request. */
    private final boolean senderConstrained;

    /**
     * The DPoP binding ({@link #dpopThumbprint()}) is read from the claims' {@code cnf.jkt}; the
     * principal is not {@linkplain #isSenderConstrained() sender-constrained} until
     * {@link #asSenderConstrained()} says so. The claims are copied deeply: a collection other than a map, or an
     * array, is kept as an immutable {@code List}, as JSON has it; a value of another type than JSON's (a {@code Date})
     * is kept as given, so give immutable ones.
     *
     * @param name      the principal name, the {@code claims.principal} claim's value
     * @param subject   the {@code sub} claim, or {@code null}
     * @param issuer    the {@code iss} claim, or {@code null}
     * @param tokenId   the {@code jti} claim, or {@code null}
     * @param issuedAt  the {@code iat} claim
     * @param expiresAt the {@code exp} claim
     * @param roles     the roles of the {@code claims.roles} claim (copied)
     * @param claims    every claim of the token, as JSON values (copied deeply)
     * @throws NullPointerException     when {@code name}, {@code issuedAt}, {@code expiresAt}, {@code roles} (or one of
     *                                  them) or {@code claims} is null
     * @throws IllegalArgumentException when the claims nest objects or arrays more than 64 levels deep
     */
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
        this.dpopThumbprint = thumbprintOf(this.claims);
        this.senderConstrained = false;
    }

    /** A copy marked sender-constrained; the immutable parts are shared. */
    private JwtPrincipal(JwtPrincipal bound) {
        this.name = bound.name;
        this.subject = bound.subject;
        this.issuer = bound.issuer;
        this.tokenId = bound.tokenId;
        this.issuedAt = bound.issuedAt;
        this.expiresAt = bound.expiresAt;
        this.roles = bound.roles;
        this.claims = bound.claims;
        this.dpopThumbprint = bound.dpopThumbprint;
        this.senderConstrained = true;
    }

    /**
     * A principal read from a stream (a replicated or persisted session) is built again by the constructor, whatever
     * the stream holds: its null checks and immutable copies apply (a stream naming a HashSet of roles gave a principal
     * whose roles an application could add to), and its DPoP binding is read from its claims again. The stream's form
     * is unchanged.
     *
     * @return the principal the constructor builds from the fields read
     * @throws InvalidObjectException when the fields read are not a principal's
     */
    private Object readResolve() throws InvalidObjectException {
        try {
            JwtPrincipal built = new JwtPrincipal(name, subject, issuer, tokenId, issuedAt, expiresAt, roles, claims);
            return senderConstrained ? built.asSenderConstrained() : built;
        } catch (RuntimeException e) {
            InvalidObjectException invalid = new InvalidObjectException("Not a JwtPrincipal's fields: "
                    + e.getClass().getSimpleName());
            invalid.initCause(e);
            throw invalid;
        }
    }

    /** {@code cnf.jkt} when it is a non-empty string (RFC 9449 §6.1), else null. */
    private static String thumbprintOf(Map<String, Object> claims) {
        if (claims.get("cnf") instanceof Map<?, ?> confirmation && confirmation.get("jkt") instanceof String jkt
                && !jkt.isEmpty()) {
            return jkt;
        }
        return null;
    }

    /** The value of the configured principal claim ({@code claims.principal}, {@code sub} by default). */
    @Override
    public String getName() {
        return name;
    }

    /**
     * The token's subject: the key of a user's revocations ({@code revokeUser}).
     *
     * @return the {@code sub} claim; null if the token has none
     */
    public String subject() {
        return subject;
    }

    /**
     * The token's issuer.
     *
     * @return the {@code iss} claim: {@code jwt.issuer} for a token JwtGate verified; null only for a principal built
     *         without one
     */
    public String issuer() {
        return issuer;
    }

    /**
     * The token's identifier: with {@link #issuer()}, what a revocation of this one token is keyed on.
     *
     * @return the {@code jti} claim; null if the token has none
     */
    public String tokenId() {
        return tokenId;
    }

    /**
     * When the token was issued, by the issuer's clock.
     *
     * @return the {@code iat} claim, in whole seconds; never null
     */
    public Instant issuedAt() {
        return issuedAt;
    }

    /**
     * When the token expires (JwtGate accepts it up to {@code jwt.clock-skew-seconds} later).
     *
     * @return the {@code exp} claim, in whole seconds; never null
     */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * The caller's roles, as {@code isUserInRole} and {@code paths.roles} see them.
     *
     * @return the roles of the {@code claims.roles} claim ({@code groups} by default); immutable, empty when the
     *         token has none
     */
    public Set<String> roles() {
        return roles;
    }

    /**
     * Whether {@link #roles()} holds {@code role}, compared exactly (case-sensitive).
     *
     * @param role a role name; {@code null} is no role the caller has
     * @return {@code true} when the caller has it
     */
    public boolean hasRole(String role) {
        return role != null && roles.contains(role); // Set.copyOf's sets throw on contains(null)
    }

    /**
     * Every claim of the token.
     *
     * @return the claims by name, as immutable JSON values (String, Number, Boolean, List, Map, null)
     */
    public Map<String, Object> claims() {
        return claims;
    }

    /**
     * One claim of {@link #claims()}.
     *
     * @param name a top-level claim's name, such as {@code email}
     * @return its immutable JSON value; null when the token does not have it, or has it as JSON {@code null}
     */
    public Object claim(String name) {
        return claims.get(name);
    }

    /**
     * The key a DPoP-bound token is bound to: its {@code cnf.jkt} claim, the RFC 7638 SHA-256 thumbprint
     * (base64url) of the client's public key (RFC 9449 §6.1). Empty for a bearer token.
     *
     * @return the thumbprint, or empty when {@code cnf.jkt} is absent or not a non-empty string
     * @since 1.0.0
     */
    public Optional<String> dpopThumbprint() {
        return Optional.ofNullable(dpopThumbprint);
    }

    /**
     * Whether the token is DPoP-bound ({@link #dpopThumbprint()} present), whether or not this request proved it.
     *
     * @return {@code true} when {@code cnf.jkt} is a non-empty string
     * @since 1.0.0
     */
    public boolean isDpopBound() {
        return dpopThumbprint != null;
    }

    /**
     * Whether the token claims a DPoP binding, usable or not: a {@code cnf} with a {@code jkt} member (even an
     * empty or non-string one), or a {@code cnf} that is no JSON object, {@code null} included (RFC 7800 §3.1 allows only an object: a
     * binding written wrong). With {@code dpop.mode} allowed or required, such a token never passes as a bearer
     * token. A {@code cnf} object without {@code jkt} names another confirmation method and does not count (its
     * {@code x5t#S256}, a certificate binding of RFC 8705, the filter and the module check against the request's client
     * certificate in every {@code dpop.mode}).
     * {@link #isDpopBound()} implies it.
     *
     * @return {@code true} when the claims hold such a {@code cnf}
     * @since 1.1.0
     */
    public boolean claimsDpopBinding() {
        Object confirmation = claims.get("cnf");
        // "cnf": null is present and no object: written wrong, like a string.
        return confirmation instanceof Map<?, ?> members ? members.containsKey("jkt") : claims.containsKey("cnf");
    }

    /**
     * Whether the token was sender-constrained on this request: it is DPoP-bound and the request
     * carried a DPoP proof, signed by that key, that JwtGate verified ({@code dpop.mode} {@code allowed}
     * or {@code required}). False for bearer tokens, for a bound token accepted while {@code dpop.mode=off},
     * and for principals from {@code JwtGate.verify(token)} alone.
     *
     * @return {@code true} only after a verified DPoP proof by the bound key
     * @since 1.0.0
     */
    public boolean isSenderConstrained() {
        return senderConstrained;
    }

    /**
     * This principal, marked {@linkplain #isSenderConstrained() sender-constrained}: for JwtGate's front
     * ends once a DPoP proof by the bound key is verified. Equal to this principal.
     *
     * @return this principal when already marked, else a marked copy
     * @throws IllegalStateException when the token is not DPoP-bound
     * @since 1.0.0
     */
    public JwtPrincipal asSenderConstrained() {
        if (dpopThumbprint == null) {
            throw new IllegalStateException("Only a DPoP-bound token (cnf.jkt) can be sender-constrained");
        }
        return senderConstrained ? this : new JwtPrincipal(this);
    }

    /**
     * The same token's caller: the same name, issuer, {@code jti}, {@code iat}, {@code exp} and roles (without a
     * {@code jti}, as with {@code revocation.store=none}, two tokens of one caller issued in the same second with other
     * roles were equal, and a cache keyed on the principal kept the old roles). The other claims and the DPoP binding's
     * state are not compared.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof JwtPrincipal that && name.equals(that.name) && Objects.equals(issuer, that.issuer)
                && Objects.equals(tokenId, that.tokenId) && issuedAt.equals(that.issuedAt)
                && expiresAt.equals(that.expiresAt) && roles.equals(that.roles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, issuer, tokenId, issuedAt, expiresAt, roles);
    }

    /**
     * Name, roles, {@code jti} and {@code exp}, each value as the audit trail writes one: as it is when it holds only
     * unambiguous characters, else quoted with escapes. A name a token's holder chose cannot forge a field (a name
     * {@code mallory, roles=[admin]}) or a log line, nor hide a character (a line break, a bidi override, an invisible
     * one, half of a surrogate pair).
     */
    @Override
    public String toString() {
        StringJoiner shownRoles = new StringJoiner(", ", "[", "]");
        roles.forEach(role -> shownRoles.add(shown(role)));
        return "JwtPrincipal[name=" + shown(name) + ", roles=" + shownRoles + ", jti=" + shown(tokenId) + ", exp="
                + expiresAt + "]";
    }

    /** Null (no jti; or of a stream another serializer wrote) as "null", as before. */
    private static String shown(String value) {
        return value == null ? "null" : AuditLog.shown(value);
    }
}
