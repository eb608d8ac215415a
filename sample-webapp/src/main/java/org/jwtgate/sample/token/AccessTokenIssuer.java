package org.jwtgate.sample.token;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jose4j.json.JsonUtil;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.TokenSettings;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.sample.account.Account;

/**
 * Mints access tokens the filter accepts (RFC 9068 shape): header {@code typ: at+jwt}; claims
 * {@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code exp}, {@code jti} (128 random bits),
 * the roles under the filter's {@code claims.roles} name ({@code groups}), {@code client_id}, and
 * {@code sid}: the refresh-token family, so logout can end the whole session. A DPoP client's token
 * also carries {@code cnf: {jkt: <thumbprint of its key>}} (RFC 9449 §6.1).
 */
@Singleton
public class AccessTokenIssuer {

    public static final String CLIENT_ID = "jwtgate-sample";
    public static final String SESSION_CLAIM = "sid";
    private static final int TOKEN_ID_BYTES = 16;

    private final SigningKey key;
    private final VerificationSettings verification;
    private final TokenSettings token;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public AccessTokenIssuer(SigningKey key, JwtGateConfig config, SampleSettings settings) {
        this(key, config, settings.accessTokenLifetime(), Clock.systemUTC());
    }

    AccessTokenIssuer(SigningKey key, JwtGateConfig config, Duration lifetime, Clock clock) {
        this.key = key;
        this.verification = config.verification();
        this.token = config.token();
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** @param dpopThumbprint the client key's RFC 7638 thumbprint to bind the token to, or null for a bearer token */
    public IssuedAccessToken issue(Account account, String sessionId, String dpopThumbprint) {
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expiresAt = issuedAt.plus(lifetime);
        byte[] id = new byte[TOKEN_ID_BYTES];
        random.nextBytes(id);
        String tokenId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", verification.issuer());
        claims.put("sub", account.username());
        List<String> audiences = verification.audiences();
        if (!audiences.isEmpty()) {
            claims.put("aud", audiences.size() == 1 ? audiences.get(0) : audiences);
        }
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", tokenId);
        claims.put("client_id", CLIENT_ID);
        claims.put(SESSION_CLAIM, sessionId);
        if (dpopThumbprint != null) {
            claims.put("cnf", Map.of("jkt", dpopThumbprint));
        }
        if (!token.principalClaim().equals("sub")) {
            claims.put(token.principalClaim(), account.username());
        }
        putPath(claims, token.rolesClaim(), List.copyOf(new TreeSet<>(account.roles())));
        String jwt = key.sign(JsonUtil.toJson(claims), verification.type() != null ? verification.type() : "at+jwt");
        return new IssuedAccessToken(jwt, tokenId, issuedAt, expiresAt, dpopThumbprint);
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** {@code realm_access.roles} → {"realm_access": {"roles": [...]}}, as the filter's RolesExtractor reads it. */
    @SuppressWarnings("unchecked")
    private static void putPath(Map<String, Object> claims, String path, Object value) {
        String[] parts = path.contains("://") ? new String[] {path} : path.split("\\."); // a URL is one name
        Map<String, Object> target = claims;
        for (int i = 0; i < parts.length - 1; i++) {
            target = (Map<String, Object>) target.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        target.put(parts[parts.length - 1], value);
    }
}
