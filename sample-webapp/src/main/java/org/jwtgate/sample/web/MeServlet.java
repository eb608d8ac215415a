package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jwtgate.principal.JwtPrincipal;

/**
 * {@code GET /api/me} (protected): {@code {sub, roles, exp, jti, auth}} of the injected principal;
 * {@code auth} is {@code DPoP} when the request proved possession of the token's key, else
 * {@code Bearer}; a DPoP-bound token adds {@code jkt}, the thumbprint of that key.
 */
@Singleton
public class MeServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final Provider<JwtPrincipal> caller;

    @Inject
    public MeServlet(Provider<JwtPrincipal> caller) {
        this.caller = caller;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JwtPrincipal principal = caller.get();
        if (principal == null) {
            error(response, 401, "unauthorized", "Authentication with a bearer token is required");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", principal.subject());
        body.put("roles", List.copyOf(new TreeSet<>(principal.roles())));
        body.put("exp", principal.expiresAt().getEpochSecond());
        body.put("jti", principal.tokenId());
        body.put("auth", principal.isSenderConstrained() ? "DPoP" : "Bearer");
        principal.dpopThumbprint().ifPresent(jkt -> body.put("jkt", jkt));
        json(response, 200, body);
    }
}
