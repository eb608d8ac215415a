package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.callback.CallbackHandler;
import org.junit.jupiter.api.Test;

class RequestCallbackHandlerTest {

    private final CallbackHandler initialized = callbacks -> { };
    private final CallbackHandler requests = callbacks -> { };

    private static MessageInfo withMap(Map<String, Object> map) {
        MessageInfo message = mock(MessageInfo.class);
        when(message.getMap()).thenReturn(map);
        return message;
    }

    @Test
    void whileCarriedThenTheRequestsHandlerIsGivenAndAfterwardsTheMapIsAsBefore() throws AuthException {
        Map<String, Object> map = new HashMap<>(Map.of("jakarta.security.auth.message.MessagePolicy.isMandatory", "true"));
        MessageInfo message = withMap(map);
        AuthStatus status = RequestCallbackHandler.carried(message, requests, () -> {
            assertSame(requests, RequestCallbackHandler.of(message, initialized));
            return AuthStatus.SUCCESS;
        });
        assertEquals(AuthStatus.SUCCESS, status);
        assertEquals(Map.of("jakarta.security.auth.message.MessagePolicy.isMandatory", "true"), map);
        assertSame(initialized, RequestCallbackHandler.of(message, initialized));
    }

    @Test
    void whenCarriedWithinAnotherThenTheInnerHandlerIsGivenAndTheOuterOneComesBack() throws AuthException {
        // A hand-back: the new application's context carries its handler, the old one's context its own inside.
        MessageInfo message = withMap(new HashMap<>());
        RequestCallbackHandler.carried(message, initialized, () -> {
            RequestCallbackHandler.carried(message, requests, () -> {
                assertSame(requests, RequestCallbackHandler.of(message, null));
                return AuthStatus.SUCCESS;
            });
            assertSame(initialized, RequestCallbackHandler.of(message, null));
            return AuthStatus.SUCCESS;
        });
    }

    @Test
    void whenTheValidationThrowsThenTheHandlerIsStillTakenOut() {
        Map<String, Object> map = new HashMap<>();
        assertThrows(AuthException.class, () -> RequestCallbackHandler.carried(withMap(map), requests, () -> {
            throw new AuthException("refused");
        }));
        assertEquals(Map.of(), map);
    }

    @Test
    void whenTheContainersMapTakesNothingOrIsMissingThenTheInitializedHandlerAnswers() throws AuthException {
        MessageInfo fixed = withMap(Map.of());
        assertEquals(AuthStatus.SUCCESS, RequestCallbackHandler.carried(fixed, requests, () -> {
            assertSame(initialized, RequestCallbackHandler.of(fixed, initialized));
            return AuthStatus.SUCCESS;
        }));
        MessageInfo none = withMap(null);
        assertEquals(AuthStatus.SUCCESS, RequestCallbackHandler.carried(none, requests, () -> AuthStatus.SUCCESS));
        assertSame(initialized, RequestCallbackHandler.of(none, initialized));
    }

    @Test
    void whenTheMapHoldsSomethingElseUnderTheKeyThenTheInitializedHandlerAnswers() {
        MessageInfo message = withMap(new HashMap<>(Map.of(RequestCallbackHandler.KEY, "not a handler")));
        assertSame(initialized, RequestCallbackHandler.of(message, initialized));
    }
}
