package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.sample.token.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/revoke} (form or JSON {@code sub}; JwtAuthFilter lets only role {@code admin}
 * through, by {@code paths.roles=/admin/*=admin}): every token of that user is refused, every
 * refresh family ended. 204 once durable, else 503 + Retry-After.
 */
@Singleton
public class AdminRevokeServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdminRevokeServlet.class);
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
        String subject = RequestBody.read(request).get("sub");
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new BadRequestException("sub is required (at most " + MAX_SUBJECT_LENGTH + " characters)");
        }
        JwtPrincipal admin = caller.get();
        LOG.info("AUDIT admin {} revokes every token of sub={}", admin == null ? "?" : admin.getName(),
                subject.replaceAll("\\p{Cntrl}", "?"));
        if (!sessions.revokeUser(subject)) {
            unavailable(response);
            return;
        }
        response.setStatus(204);
    }
}
