package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
        boolean everywhere = everywhere(request.getQueryString(), bodyAll(request));
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
     * {@code all} from the query string or the body, given once, {@code true} or {@code false}: a body's
     * {@code all=true} left unread ended only this session, with the 204 that says every one ended.
     */
    static boolean everywhere(String query, String bodyAll) {
        String all = allOf(query);
        if (all != null && bodyAll != null) {
            throw new BadRequestException("all must be given once");
        }
        all = all != null ? all : bodyAll;
        if (all != null && !all.equals("true") && !all.equals("false")) {
            throw new BadRequestException("all must be true or false");
        }
        return "true".equals(all);
    }

    /**
     * {@code all} of a form or JSON body (a JSON string or boolean), null when it has none. Only {@code all} is looked
     * at, and a body of another type only for it (a 415 then): a logout needs no body, and one a client sends anyway
     * (text, an unrelated field) was never refused. A form or JSON body that cannot be read is a 400, as it may say
     * all=true.
     */
    static String bodyAll(HttpServletRequest request) throws IOException {
        String mediaType = RequestBody.mediaType(request);
        if (!mediaType.equals(RequestBody.FORM) && !mediaType.equals(RequestBody.JSON)) {
            if (namesAll(request, mediaType)) {
                // fetch() sends a string body as text/plain: ignored, its all=true ended this session alone.
                throw new BadRequestException(415, "Send all in the query string, a form or application/json");
            }
            return null;
        }
        String body = RequestBody.text(request);
        if (body.isEmpty()) {
            return null;
        }
        if (mediaType.equals(RequestBody.FORM)) {
            return allOf(body);
        }
        Object all = RequestBody.jsonObject(body).get("all");
        if (all == null || all instanceof String) {
            return (String) all;
        }
        if (all instanceof Boolean given) {
            return given.toString();
        }
        throw new BadRequestException("all must be true or false");
    }

    /** A multipart part named {@code all} (what fetch() sends for a FormData holding it). */
    private static final java.util.regex.Pattern MULTIPART_ALL =
            java.util.regex.Pattern.compile("(?i)content-disposition:[^\\r\\n]*;\\s*name=\"?all\"?\\s*(;|\\r|\\n)");

    /**
     * Whether a body of another type (text/plain, multipart, none named) holds {@code all} as a JSON member, a form
     * field or a multipart part, read as {@link RequestBody} would up to its cap; a longer body, or one that holds no
     * {@code all}, is left alone.
     */
    private static boolean namesAll(HttpServletRequest request, String mediaType) throws IOException {
        byte[] bytes = RequestBody.upToCap(request);
        if (bytes.length == 0 || bytes.length > RequestBody.MAX_BYTES) {
            return false;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (mediaType.startsWith("multipart/")) {
            return MULTIPART_ALL.matcher(text).find();
        }
        try {
            return RequestBody.jsonObject(text).containsKey("all");
        } catch (BadRequestException notJson) {
            try {
                return allOf(text.strip()) != null;
            } catch (BadRequestException malformed) {
                return true; // all given twice or badly encoded: all the same
            }
        }
    }

    /**
     * {@code all} of a query string or form body, decoded as getParameter would ("%61ll=true" asks for every session
     * too, and must not end just this one), null when absent. Not getParameter: a malformed form body got the
     * container's HTML 400, and of two values it takes the first. Another parameter's malformed name is not this
     * endpoint's business.
     */
    private static String allOf(String urlEncoded) {
        String all = null;
        for (String pair : urlEncoded == null ? new String[0] : urlEncoded.split("&")) {
            int equals = pair.indexOf('=');
            if ("all".equals(decoded(equals < 0 ? pair : pair.substring(0, equals)))) {
                if (all != null) {
                    throw new BadRequestException("all must be given once");
                }
                all = equals < 0 ? "" : decoded(pair.substring(equals + 1));
                if (all == null) {
                    throw new BadRequestException("all is not properly URL-encoded");
                }
            }
        }
        return all;
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
