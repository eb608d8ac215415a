package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.sample.token.Sessions;

/**
 * {@code POST /logout[?all=true]} (protected by JwtAuthFilter, which also applies its CSRF check
 * to cookie-authenticated calls): revokes the presented access token and its refresh family, or
 * with {@code all=true} (in the query string, a form or a JSON body) every token of the user. 204
 * and both cookies cleared once the revocation is durable; otherwise 503 + Retry-After.
 */
@Singleton
public class LogoutServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final Provider<JwtPrincipal> caller;
    private final Sessions sessions;
    private final TokenResponses responses;

    @Inject
    public LogoutServlet(Provider<JwtPrincipal> caller, Sessions sessions, TokenResponses responses) {
        this.caller = caller;
        this.sessions = sessions;
        this.responses = responses;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean everywhere = everywhere(request.getQueryString(), RequestBody.read(request));
        JwtPrincipal principal = caller.get();
        if (principal == null) {
            error(response, 401, "unauthorized", "Authentication with a bearer token is required");
            return;
        }
        if (!sessions.logout(principal, everywhere)) {
            unavailable(response);
            return;
        }
        responses.cookies().clear(response);
        response.setStatus(204);
    }

    /**
     * {@code all} from the query string or the body (a form or JSON, as the other endpoints take), once,
     * {@code true} or {@code false}: a body's {@code all=true} left unread ended only this session, with
     * the 204 that says every one ended. Not getParameter: a malformed form body got the container's HTML
     * 400, and of two values it takes the first.
     */
    static boolean everywhere(String query, Map<String, String> body) {
        String all = body.get("all");
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int equals = pair.indexOf('=');
            // Decoded as getParameter would: "%61ll=true" asks for every session too, and must not end just this one.
            // Another parameter's malformed name is not this endpoint's business (null, not "all").
            if ("all".equals(decoded(equals < 0 ? pair : pair.substring(0, equals)))) {
                if (all != null) {
                    throw new BadRequestException("all must be given once");
                }
                all = equals < 0 ? "" : decoded(pair.substring(equals + 1));
                if (all == null) {
                    throw new BadRequestException("malformed query string");
                }
            }
        }
        if (all != null && !all.equals("true") && !all.equals("false")) {
            throw new BadRequestException("all must be true or false");
        }
        return "true".equals(all);
    }

    /** A query-string component, percent- and plus-decoded (UTF-8); null when malformed. */
    private static String decoded(String component) {
        try {
            return URLDecoder.decode(component, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
