package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.http.RawHttp;

/**
 * {@code request.authenticate()} without a token on a page that began its answer, in the real Tomcat 11 and Jetty 12.
 * operations.md ("Containers' differences"): the 401 replaces whatever the page had buffered before the call, the body
 * is the JSON answer alone; security.md ("What the filter answers"): a refusal after the page began keeps no header
 * describing the page's body (Content-Encoding, Content-Disposition, …). After the page committed its start,
 * authenticate() throws IllegalStateException on both and nothing is appended to the page. Until 2026-12-08 Jetty (whose
 * module answer goes through Jetty's core response) sent the page's buffered text under the JSON's Content-Length (a
 * keep-alive client: "fixed content-length: 93, bytes received: 13"), with the page's Content-Encoding,
 * Content-Disposition and charset, and appended the JSON challenge to a committed page's 200 body.
 */
class AuthenticateAfterWritingInContainersIT {

    static final String APP = "secured-late";
    private static final String CHALLENGE =
            "{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}";

    static void writeVariant(Path dir) throws IOException {
        Path war = LegacyApps.variant(SecuredApps.builtWar(), dir, APP, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>late</display-name>"
                        + "<servlet><servlet-name>late</servlet-name><servlet-class>" + AuthenticateAfterWritingServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>late</servlet-name><url-pattern>/late/*</url-pattern></servlet-mapping>"
                        + "<servlet><servlet-name>rprobe</servlet-name><servlet-class>" + CallerProbeServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>rprobe</servlet-name><url-pattern>/probe/*</url-pattern></servlet-mapping>"));
        SecuredApps.addClass(war, AuthenticateAfterWritingServlet.class);
        SecuredApps.addClass(war, CallerProbeServlet.class);
    }

    private static void check(ServletContainer c) {
        // A plain page that printed "page started" and then asks for the caller, without a token.
        RawHttp.Response plain = RawHttp.get(c.httpPort, "/" + APP + "/late/page");
        // A page that began a gzip download (Content-Encoding, Content-Disposition, text/csv), then asks.
        RawHttp.Response download = RawHttp.get(c.httpPort, "/" + APP + "/probe/x?authw");
        // A page that sent its start (committed), then asks: authenticate() throws IllegalStateException (Tomcat before
        // asking the module, Jetty once the module sent nothing); a challenge can no longer be the answer, and must not
        // be glued into the page. The page prints what authenticate() did after its start.
        RawHttp.Response committed = RawHttp.get(c.httpPort, "/" + APP + "/probe/x?authc");
        System.out.println("LATE " + c.name() + " committed " + committed);
        // The same plain page through a keep-alive client (java.net.http, 10 s timeout), as a browser reads it.
        String keepAlive;
        try {
            java.net.http.HttpResponse<String> answer = c.get("/" + APP + "/late/page");
            keepAlive = answer.statusCode() + " " + answer.body();
        } catch (Exception e) {
            keepAlive = e.toString();
        }
        String keptAlive = keepAlive;
        System.out.println("LATE " + c.name() + " keep-alive " + keptAlive);
        System.out.println("LATE " + c.name() + " plain " + plain + "\nLATE " + c.name() + " download " + download);
        assertAll(c.name(),
                () -> assertEquals(401, plain.status(), plain.toString()),
                () -> assertEquals(CHALLENGE, plain.body(), "authenticate() after the page began: " + plain),
                () -> assertEquals("application/json;charset=utf-8", String.valueOf(plain.header("Content-Type")).toLowerCase(), plain.toString()),
                () -> assertEquals(401, download.status(), download.toString()),
                () -> assertEquals(CHALLENGE, download.body(), "authenticate() after a download began: " + download),
                () -> assertEquals("application/json;charset=utf-8", String.valueOf(download.header("Content-Type")).toLowerCase(),
                        "the JSON challenge in the page's charset: " + download),
                () -> assertEquals(null, download.header("Content-Encoding"), "the JSON challenge announced as gzip: " + download),
                () -> assertEquals(null, download.header("Content-Disposition"), "the JSON challenge as the page's download: " + download),
                () -> assertEquals("401 " + CHALLENGE, keptAlive, "through a keep-alive client"),
                () -> assertEquals(200, committed.status(), committed.toString()),
                () -> assertTrue(committed.body().startsWith("page sent,authenticate-threw(IllegalStateException),")
                                && !committed.body().contains("\"error\":"),
                        "the challenge written into a committed 200 page: " + committed));
    }

    @Test
    void tomcat() throws Exception {
        ModuleVariantRuns.inTomcat("late-tomcat", APP, AuthenticateAfterWritingInContainersIT::writeVariant,
                Map.of("JWTGATE_REVOCATION_STORE", "memory"), c -> check(c));
    }

    @Test
    void jetty() throws Exception {
        ModuleVariantRuns.inJetty("late-jetty", APP, AuthenticateAfterWritingInContainersIT::writeVariant,
                Map.of("JWTGATE_REVOCATION_STORE", "memory"), c -> check(c));
    }
}
