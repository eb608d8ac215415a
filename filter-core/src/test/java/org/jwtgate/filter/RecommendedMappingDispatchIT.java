package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The filter mapped as README and conf/web.xml recommend ({@code REQUEST}, {@code ASYNC}, {@code ERROR}), in a real
 * Jetty: what a {@code FORWARD} or {@code INCLUDE}, which the filter then never sees, reaches. docs/security.md
 * ("Dispatches") says so; {@link DispatchIT} runs the same application with every dispatcher type mapped.
 */
class RecommendedMappingDispatchIT {

    private static DispatchIT.Application app;

    @BeforeAll
    static void start() throws Exception {
        app = DispatchIT.Application.start(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    }

    @AfterAll
    static void stop() throws Exception {
        app.server().stop();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        return app.get(path, headers);
    }

    @Test
    void whenAnAuthenticatedRequestIsForwardedThenTheTargetSeesTheSameUser() throws Exception {
        HttpResponse<String> answer = get("/app/forward", "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FORWARD user=alice auth=Bearer current=alice;", answer.body());
    }

    /** The hole an application that forwards from public pages closes by mapping FORWARD (and INCLUDE). */
    @Test
    void whenAPublicPageForwardsIntoAProtectedOneThenItRunsWithNobodyNot401() throws Exception {
        HttpResponse<String> answer = get("/public/forward");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FORWARD user=null auth=null current=null;", answer.body());
    }

    @Test
    void whenAPublicPageIncludesAProtectedResourceThenItIsIncludedWithNobody() throws Exception {
        HttpResponse<String> answer = get("/public/include");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("before;INCLUDE user=null auth=null current=null;", answer.body());
    }

    /**
     * An included fragment asking authenticate() for an anonymous request (the filter sees no INCLUDE pass here):
     * false, and the page keeps its content and status; the 401's JSON landed in the 200 page before.
     */
    @Test
    void whenAnIncludedFragmentAsksAuthenticateThenThePageIsUnchanged() throws Exception {
        HttpResponse<String> answer = get("/optional/page-include-authenticate");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("<p>header</p><p>footer</p>", answer.body());
        assertEquals(List.of(), answer.headers().allValues("WWW-Authenticate"));
    }

    /** The application's own wrapper handed to startAsync(wrapper, response): its authenticate() answers there. */
    @Test
    void whenTheApplicationsOwnWrapperGoesToAnAsyncDispatchThenItsAuthenticateAnswers() throws Exception {
        HttpResponse<String> answer = get("/optional/own-login-async");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("authenticate=true ASYNC user=own auth=null current=null;", answer.body());
    }

    /** paths.roles are checked on the REQUEST pass only: a forward into a path whose role the user lacks runs. */
    @Test
    void whenAnAuthenticatedRequestIsForwardedIntoAPathWhoseRoleItLacksThenItRunsNot403() throws Exception {
        HttpResponse<String> answer = get("/app/forward-admin", "Authorization", "Bearer " + TestTokens.hs256("alice", "user"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FORWARD user=alice auth=Bearer current=alice;", answer.body());
    }
}
