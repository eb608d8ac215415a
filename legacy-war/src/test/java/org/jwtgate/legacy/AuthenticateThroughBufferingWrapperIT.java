package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.http.RawHttp;

/**
 * The module's request.authenticate() after the page began, through a response wrapper that buffers the body itself
 * (BufferingWrapperServlet, as Spring's ContentCachingResponseWrapper): the JSON 401 alone in both containers. On
 * Tomcat the refusal writer calls the wrapper's resetBuffer(); on Jetty JettyCoreChannel.clearPage reset only Jetty's
 * innermost response, past the wrapper, whose buffered page then went out after the JSON: a 500 "too much content
 * written".
 */
class AuthenticateThroughBufferingWrapperIT {

    static final String APP = "secured-buffering-wrap";
    private static final String CHALLENGE =
            "{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}";

    static void writeVariant(Path dir) throws IOException {
        Path war = LegacyApps.variant(SecuredApps.builtWar(), dir, APP, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>buffering-wrap</display-name>"
                        + "<servlet><servlet-name>wrap</servlet-name><servlet-class>" + BufferingWrapperServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>wrap</servlet-name><url-pattern>/wrap/*</url-pattern></servlet-mapping>"));
        SecuredApps.addClass(war, BufferingWrapperServlet.class);
        SecuredApps.addClass(war, BufferingWrapperServlet.Buffering.class);
        SecuredApps.addClass(war, BufferingWrapperServlet.Held.class);
    }

    private static void check(ServletContainer c) {
        RawHttp.Response wrapped = RawHttp.get(c.httpPort, "/" + APP + "/wrap/page");
        String keepAlive;
        try {
            java.net.http.HttpResponse<String> answer = c.get("/" + APP + "/wrap/page");
            keepAlive = answer.statusCode() + " " + answer.body();
        } catch (Exception e) {
            keepAlive = e.toString();
        }
        String keptAlive = keepAlive;
        System.out.println("WRAP " + c.name() + " raw " + wrapped + "\nWRAP " + c.name() + " keep-alive " + keptAlive);
        assertAll(c.name(),
                () -> assertEquals(401, wrapped.status(), wrapped.toString()),
                () -> assertEquals(CHALLENGE, wrapped.body(), "authenticate(wrapper) after the page began: " + wrapped),
                () -> assertEquals("401 " + CHALLENGE, keptAlive, "through a keep-alive client"));
    }

    @Test
    void tomcat() throws Exception {
        ModuleVariantRuns.inTomcat("buffering-wrap-tomcat", APP, AuthenticateThroughBufferingWrapperIT::writeVariant,
                Map.of("JWTGATE_REVOCATION_STORE", "memory"), c -> check(c));
    }

    @Test
    void jetty() throws Exception {
        ModuleVariantRuns.inJetty("buffering-wrap-jetty", APP, AuthenticateThroughBufferingWrapperIT::writeVariant,
                Map.of("JWTGATE_REVOCATION_STORE", "memory"), c -> check(c));
    }
}
