package org.jwtgate.internal.authentication;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import java.util.Map;
import javax.security.auth.callback.CallbackHandler;

/**
 * The container's callback handler of one request, carried in its {@link MessageInfo}. A module keeps the handler
 * {@code initialize} last gave it, and Jetty initializes the module for every request with the handler of the
 * request's context: where two contexts reach one module (during a redeploy's hand-over), a request could pass its
 * caller to the other context's handler, which then holds it while its own sees none (a spurious refusal). The
 * authentication context a container asks for a request, bound to that request's handler, puts it here for the module.
 *
 * <pre>{@code
 * return RequestCallbackHandler.carried(messageInfo, handler, () -> module.validateRequest(messageInfo, client, service));
 * }</pre>
 */
public final class RequestCallbackHandler {

    /** A key of the message's map: the specification's keys are {@code jakarta.*}, so none clashes. */
    static final String KEY = "org.jwtgate.authentication.RequestCallbackHandler";

    private RequestCallbackHandler() {
    }

    /** Something of a module's that answers a message: its {@code validateRequest}. */
    @FunctionalInterface
    public interface Validation {
        AuthStatus run() throws AuthException;
    }

    /** Runs {@code validation} with {@code handler} carried in the message; what was there before is put back. */
    public static AuthStatus carried(MessageInfo messageInfo, CallbackHandler handler, Validation validation)
            throws AuthException {
        Map<String, Object> map = messageInfo.getMap();
        Object before;
        try {
            before = map == null ? null : map.put(KEY, handler);
        } catch (UnsupportedOperationException e) {
            return validation.run(); // a map the container keeps to itself: the module's own handler answers
        }
        try {
            return validation.run();
        } finally {
            if (map != null) {
                if (before == null) {
                    map.remove(KEY);
                } else {
                    map.put(KEY, before);
                }
            }
        }
    }

    /** The handler carried in {@code messageInfo}, or {@code initialized} (what the module's initialize last gave it). */
    public static CallbackHandler of(MessageInfo messageInfo, CallbackHandler initialized) {
        Map<String, Object> map = messageInfo.getMap();
        return map != null && map.get(KEY) instanceof CallbackHandler carried ? carried : initialized;
    }
}
