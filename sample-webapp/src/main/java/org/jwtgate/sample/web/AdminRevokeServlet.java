package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.sample.account.AccountStore;
import org.jwtgate.sample.token.Sessions;

/**
 * {@code POST /admin/revoke} (form or JSON {@code sub}; JwtAuthFilter lets only role {@code admin}
 * through, by {@code paths.roles=/admin/*=admin}): every token of that user is refused, every
 * refresh family ended. 204 once durable, else 503 + Retry-After.
 */
@Singleton
public class AdminRevokeServlet extends AdminServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_SUBJECT_LENGTH = 256;

    private final Provider<JwtPrincipal> caller;
    private final Sessions sessions;

    @Inject
    public AdminRevokeServlet(Provider<JwtPrincipal> caller, Sessions sessions) {
        this.caller = caller;
        this.sessions = sessions;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> body = RequestBody.read(request);
        String given = body.get("sub");
        if (given == null || given.isBlank() || given.length() > MAX_SUBJECT_LENGTH) {
            throw new BadRequestException("sub is required (at most " + MAX_SUBJECT_LENGTH + " characters)");
        }
        // Tokens carry the normalised username ("Alice " logs in as alice): revoke that, not the text as typed.
        String subject = AccountStore.normalize(given);
        if (subject == null) {
            throw new BadRequestException("sub is not a username");
        }
        String reason = body.get("reason");
        JwtPrincipal admin = caller.get();
        // The library's audit trail (logger org.jwtgate.audit) records who, why and what, escaped.
        if (!sessions.revokeUser(subject, "admin:" + (admin == null ? "?" : admin.getName()),
                reason == null || reason.isBlank() ? "revoked by an administrator" : reason)) {
            unavailable(response);
            return;
        }
        response.setStatus(204);
    }
}
