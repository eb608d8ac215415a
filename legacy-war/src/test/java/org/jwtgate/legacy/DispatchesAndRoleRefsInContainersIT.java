package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * What the docs promise of the recommended mapping (REQUEST, ASYNC, ERROR) in the real Tomcat 11 and Jetty 12:
 * error pages see the user (README, security.md "Dispatches"), and a directory URL needs its welcome file's
 * paths.roles (configuration.md, paths.roles); request.authenticate() with nobody authenticated is the filter's
 * challenge (security.md); on Tomcat, the connector and access log operations.md advises. The revocation store is
 * memory: no Redis needed.
 */
class DispatchesAndRoleRefsInContainersIT {

    private static final String APP = "probe";

    /** legacy.war with an error page, a throwing servlet, a welcome file under /reports/ and a rule for it. */
    static void writeProbe(Path dir) throws IOException {
        Path war = LegacyApps.variant(LegacyApps.builtWar(), dir, APP, Map.of(
                "<param-value>legacy</param-value>", "<param-value>probe</param-value>"
                        + "</init-param><init-param><param-name>paths.roles</param-name>"
                        + "<param-value>/reports/index.html=admin</param-value>",
                "<display-name>JwtGate legacy example</display-name>", "<display-name>probe</display-name>"
                        + "<servlet><servlet-name>probe</servlet-name><servlet-class>" + DispatchProbeServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>probe</servlet-name><url-pattern>/boom</url-pattern>"
                        + "<url-pattern>/error-page</url-pattern></servlet-mapping>"
                        + "<error-page><exception-type>java.lang.IllegalStateException</exception-type>"
                        + "<location>/error-page</location></error-page>"));
        SecuredApps.addClass(war, DispatchProbeServlet.class);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Path report = zip.getPath("reports", "index.html");
            Files.createDirectories(report.getParent());
            Files.writeString(report, "<html>ADMINS-ONLY-REPORT</html>\n");
        }
    }

    static final String DISPATCH = "probe-dispatch";

    /** legacy.war mapped for all five dispatchers, as README advises an application that forwards or includes. */
    static void writeDispatchProbe(Path dir) throws IOException {
        Path war = LegacyApps.variant(LegacyApps.builtWar(), dir, DISPATCH, Map.of(
                "<dispatcher>ERROR</dispatcher>", "<dispatcher>ERROR</dispatcher><dispatcher>FORWARD</dispatcher>"
                        + "<dispatcher>INCLUDE</dispatcher>",
                "<param-value>legacy</param-value>", "<param-value>dispatch</param-value>"
                        + "</init-param><init-param><param-name>paths.roles</param-name>"
                        + "<param-value>/hello=admin</param-value>",
                "<display-name>JwtGate legacy example</display-name>", "<display-name>dispatch</display-name>"
                        + "<servlet><servlet-name>probe</servlet-name><servlet-class>" + DispatchProbeServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>probe</servlet-name><url-pattern>/public/fwd</url-pattern><url-pattern>/public/fwd-writer</url-pattern>"
                        + "<url-pattern>/public/inc</url-pattern></servlet-mapping>"));
        SecuredApps.addClass(war, DispatchProbeServlet.class);
    }

    /** security.md "Dispatches" with FORWARD and INCLUDE mapped. */
    private static void checkDispatch(ServletContainer c) throws Exception {
        String admin = token("alice", "admin");
        String staff = token("bob", "staff");
        String p = "/" + DISPATCH;
        HttpResponse<String> fwdAnon = c.get(p + "/public/fwd?to=/hello");
        HttpResponse<String> fwdAdmin = c.getWithToken(p + "/public/fwd?to=/hello", admin);
        HttpResponse<String> fwdStaff = c.getWithToken(p + "/public/fwd?to=/hello", staff);
        HttpResponse<String> incAnon = c.get(p + "/public/inc?to=/hello");
        HttpResponse<String> incAdmin = c.getWithToken(p + "/public/inc?to=/hello", admin);
        HttpResponse<String> asyncStaff = c.getWithToken(p + "/async", staff);
        HttpResponse<String> writerStaff = c.getWithToken(p + "/public/fwd-writer?to=/hello", staff);
        assertAll(c.name() + " dispatch",
                () -> assertEquals(401, fwdAnon.statusCode(), "forward, anonymous: " + fwdAnon.body()),
                () -> assertEquals(200, fwdAdmin.statusCode(), "forward, admin: " + fwdAdmin.body()),
                () -> assertTrue(fwdAdmin.body().startsWith("hello user=alice admin=true"), "forward, admin: " + fwdAdmin.body()),
                () -> assertEquals(403, fwdStaff.statusCode(), "forward, staff: " + fwdStaff.body()),
                () -> assertEquals("[]", incAnon.body().strip(), "include, anonymous"),
                () -> assertEquals("[]", incAdmin.body().strip(), "include from a public page, token never read"),
                () -> assertEquals(403, asyncStaff.statusCode(), "async dispatch to /hello, staff: " + asyncStaff.body()),
                () -> assertEquals(403, writerStaff.statusCode(), "forward after a UTF-16 writer, staff: " + writerStaff.body()),
                // In the writer's charset: the page took it (the response is not reset, which would drop other headers).
                () -> assertTrue(writerStaff.body().replace("\0", "").contains("\"error\":\"insufficient_scope\""),
                        "the refusal after a UTF-16 writer: " + writerStaff.body()),
                () -> assertEquals(Optional.empty(), writerStaff.headers().firstValue("Content-Disposition"),
                        writerStaff.headers().map().toString()),
                () -> assertEquals(Optional.empty(), writerStaff.headers().firstValue("Content-Encoding"),
                        writerStaff.headers().map().toString()));
    }

    static final String SERVLET_API = "probe-servlet-api";

    /**
     * legacy.war with paths.optional /opt/*, paths.roles /hello=admin, a servlet calling request.authenticate() (after
     * logout() on /api/logout-…), and error pages for 401 and 403.
     */
    static void writeServletApiProbe(Path dir) throws IOException {
        Path war = LegacyApps.variant(LegacyApps.builtWar(), dir, SERVLET_API, Map.of(
                "<param-value>legacy</param-value>", "<param-value>authenticate</param-value>"
                        + "</init-param><init-param><param-name>paths.optional</param-name>"
                        + "<param-value>/opt/*</param-value>"
                        + "</init-param><init-param><param-name>paths.roles</param-name>"
                        + "<param-value>/hello=admin</param-value>",
                "<display-name>JwtGate legacy example</display-name>", "<display-name>authenticate</display-name>"
                        + "<servlet><servlet-name>authenticate</servlet-name><servlet-class>"
                        + ServletApiProbeServlet.class.getName() + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>authenticate</servlet-name><url-pattern>/opt/authenticate</url-pattern>"
                        + "<url-pattern>/opt/page</url-pattern><url-pattern>/api/authenticate</url-pattern><url-pattern>/api/logout-authenticate</url-pattern>"
                        + "<url-pattern>/api/body</url-pattern><url-pattern>/api/error-page</url-pattern>"
                        + "<url-pattern>/api/send-error-401</url-pattern></servlet-mapping>"
                        + "<error-page><error-code>401</error-code><location>/api/error-page</location></error-page>"
                        + "<error-page><error-code>403</error-code><location>/api/error-page</location></error-page>"));
        SecuredApps.addClass(war, ServletApiProbeServlet.class);
    }

    /**
     * request.authenticate() with nobody authenticated (anonymous on a paths.optional path, or after logout()), the
     * application without a login-config: the container's mechanism has none (Tomcat's NonLoginAuthenticator answers
     * true with nobody, Jetty throws "Authentication failed"), so the filter's 401 challenge: the status and
     * WWW-Authenticate of a request without a token on a protected path, no body (the application just returns after
     * false; its 401 error page is not shown, nothing called sendError), and false; in an included fragment, false
     * and the page unchanged. With the token's caller: true.
     */
    private static void checkServletApi(ServletContainer c) throws Exception {
        String p = "/" + SERVLET_API;
        HttpResponse<String> missing = c.get(p + "/hello");
        HttpResponse<String> anonymous = c.get(p + "/opt/authenticate");
        HttpResponse<String> loggedOut = c.getWithToken(p + "/api/logout-authenticate", token("alice"));
        HttpResponse<String> standing = c.getWithToken(p + "/api/authenticate", token("alice"));
        HttpResponse<String> lacking = c.getWithToken(p + "/hello", token("bob", "staff"));
        HttpResponse<String> ownError = c.getWithToken(p + "/api/send-error-401", token("alice"));
        HttpResponse<String> optionalWithToken = c.getWithToken(p + "/opt/authenticate", token("alice"));
        HttpResponse<String> page = c.get(p + "/opt/page");
        assertAll(c.name() + " servlet API",
                // An included fragment's authenticate(): false, the page unchanged (an include's status and headers
                // are ignored, and the challenge writes no body).
                () -> assertEquals(200, page.statusCode(), "page including authenticate(): " + page.body()),
                () -> assertEquals("<p>header</p><p>footer</p>", page.body()),
                () -> assertEquals(List.of(), page.headers().allValues("WWW-Authenticate")),
                () -> assertEquals(401, missing.statusCode(), missing.body()),
                () -> assertEquals(401, anonymous.statusCode(), "anonymous /opt: " + anonymous.body()),
                () -> assertEquals(missing.headers().allValues("WWW-Authenticate"), anonymous.headers().allValues("WWW-Authenticate")),
                () -> assertEquals("", anonymous.body()),
                () -> assertEquals(401, loggedOut.statusCode(), "after logout(): " + loggedOut.body()),
                () -> assertEquals(missing.headers().allValues("WWW-Authenticate"), loggedOut.headers().allValues("WWW-Authenticate")),
                () -> assertEquals("", loggedOut.body()),
                () -> assertEquals("authenticate=true user=alice remote=alice auth=Bearer", standing.body()),
                () -> assertEquals("authenticate=true user=alice remote=alice auth=Bearer", optionalWithToken.body()),
                // The application's <error-page> for 401 and 403 does not replace the filter's answers (its JSON), but
                // shows for the application's own sendError(401), with the user.
                () -> assertEquals("Bearer realm=\"authenticate\"", missing.headers().firstValue("WWW-Authenticate").orElse(null)),
                () -> assertTrue(missing.body().startsWith("{\"error\""), missing.body()),
                () -> assertEquals(403, lacking.statusCode(), lacking.body()),
                () -> assertTrue(lacking.body().startsWith("{\"error\":\"insufficient_scope\""), lacking.body()),
                () -> assertEquals(401, ownError.statusCode(), ownError.body()),
                () -> assertEquals("<html>error-page 401 user=alice remote=alice auth=Bearer</html>", ownError.body()));
    }

    /**
     * docs/operations.md, Tomcat 11: the connector with {@code continueResponseTiming="onRead"} (a refused upload
     * announced with {@code Expect: 100-continue} gets the 401 without being asked for its body; Tomcat's default,
     * {@code immediately}, sends {@code 100 Continue} before the filter runs), and the access log pattern with
     * {@code %{org.jwtgate.principal}r}, the filter's request attribute.
     */
    static void configureConnectorAndAccessLog(Path catalinaBase) throws IOException {
        Path serverXml = catalinaBase.resolve("conf/server.xml");
        String server = Files.readString(serverXml);
        String connector = "address=\"127.0.0.1\""; // the HTTP connector TomcatContainer set on a free port
        String accessLog = "pattern=\"%h %l %u %t &quot;%r&quot; %s %b\"";
        if (server.indexOf(connector) < 0 || server.indexOf(connector) != server.lastIndexOf(connector)
                || !server.contains(accessLog)) {
            throw new IllegalStateException("server.xml has not the connector and access log expected:\n" + server);
        }
        server = server.replace(connector, "continueResponseTiming=\"onRead\" " + connector)
                .replace(accessLog, "pattern=\"%h %l %u %t &quot;%r&quot; %s %b &quot;%{org.jwtgate.principal}r&quot;\"");
        Files.writeString(serverXml, server);
    }

    private static void checkConnectorAndAccessLog(TomcatContainer tomcat) throws Exception {
        String p = "/" + SERVLET_API;
        String refusedUpload = expectContinue(tomcat.httpPort, p + "/api/body", "Authorization: Bearer not.a.token");
        HttpResponse<String> answer = tomcat.getWithToken(p + "/hello?accesslog", token("alice", "admin"));
        String logs = tomcat.awaitLog("GET " + p + "/hello?accesslog", Duration.ofSeconds(30));
        String line = logs.lines().filter(l -> l.contains("GET " + p + "/hello?accesslog")).findFirst().orElse("(no line)");
        assertAll("tomcat connector and access log",
                () -> assertTrue(refusedUpload.startsWith("HTTP/1.1 401"), "refused upload: " + refusedUpload),
                () -> assertEquals(200, answer.statusCode(), answer.body()),
                // %u is the container's user (none: the filter's is on its wrapper); the attribute names the token's.
                () -> assertTrue(line.contains(" - [") && line.contains(" \"JwtPrincipal[name=alice, roles=[admin], jti="),
                        "access log line: " + line));
    }

    /** Sends the head of a POST announcing 1000 bytes with Expect: 100-continue; returns the first status line. */
    private static String expectContinue(int port, String target, String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            String head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 1000\r\nExpect: 100-continue\r\n" + authorization + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            try {
                for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                    if (c != '\r') {
                        line.append((char) c);
                    }
                }
            } catch (SocketTimeoutException e) {
                return "timeout after [" + line + "]";
            }
            return line.toString();
        }
    }

    private static String token(String subject, String... groups) {
        return LegacyApps.legacyToken(subject, groups);
    }

    private static void check(ServletContainer container) throws Exception {
        String admin = token("alice", "admin");
        String staff = token("bob", "staff");
        HttpResponse<String> error = container.getWithToken("/" + APP + "/boom", admin);
        HttpResponse<String> dirStaff = container.getWithToken("/" + APP + "/reports/", staff);
        HttpResponse<String> dirAnon = container.get("/" + APP + "/reports/");
        HttpResponse<String> fileStaff = container.getWithToken("/" + APP + "/reports/index.html", staff);
        HttpResponse<String> dirAdmin = container.getWithToken("/" + APP + "/reports/", admin);
        assertAll(container.name(),
                () -> assertTrue(error.body().contains("error-page user=alice admin=true dispatch=ERROR"),
                        "error page: " + error.statusCode() + " " + error.body()),
                () -> assertEquals(403, fileStaff.statusCode(), "file, staff: " + fileStaff.body()),
                () -> assertEquals(403, dirStaff.statusCode(), "directory, staff: " + dirStaff.body()),
                () -> assertEquals(401, dirAnon.statusCode(), "directory, anonymous: " + dirAnon.body()),
                () -> assertFalse(dirStaff.body().contains("ADMINS-ONLY-REPORT"), "report served to staff"),
                () -> assertTrue(dirAdmin.body().contains("ADMINS-ONLY-REPORT"), "directory, admin: " + dirAdmin.statusCode()
                        + " " + dirAdmin.body()));
    }

    static final String ROLEREF = "secured-roleref";

    /** secured.war (the module) with a servlet whose security-role-ref links "boss" to "admin", under /user/*. */
    static void writeRoleRefVariant(Path dir) throws IOException {
        Path war = LegacyApps.variant(SecuredApps.builtWar(), dir, ROLEREF, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>roleref</display-name>"
                        + "<servlet><servlet-name>roles</servlet-name><servlet-class>" + DispatchProbeServlet.class.getName()
                        + "</servlet-class><security-role-ref><role-name>boss</role-name><role-link>admin</role-link>"
                        + "</security-role-ref></servlet>"
                        + "<servlet-mapping><servlet-name>roles</servlet-name><url-pattern>/user/roles</url-pattern></servlet-mapping>"));
        SecuredApps.addClass(war, DispatchProbeServlet.class);
    }

    /** operations.md: with the module, the container answers isUserInRole for a role-ref's name (role-link). */
    private static void checkRoleRef(ServletContainer container) throws Exception {
        HttpResponse<String> admin = container.getWithToken("/" + ROLEREF + "/user/roles", SecuredApps.token("alice", "admin"));
        assertEquals("roles user=alice boss=true admin=true", admin.body().strip(), container.name() + " " + admin.statusCode());
    }

    @Test
    void tomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("dispatches-tomcat");
        try (TomcatContainer tomcat = new TomcatContainer(instance, (base, conf) -> {
            Files.writeString(base.resolve("bin/setenv.sh"), "export JWTGATE_REVOCATION_STORE=memory\n"
                    + "export APP_JWT_SECRET='" + TestTokens.SECRET + "'\n");
            Files.copy(LegacyApps.builtWar(), base.resolve("webapps/legacy.war"));
            writeProbe(base.resolve("webapps"));
            writeRoleRefVariant(base.resolve("webapps"));
            writeDispatchProbe(base.resolve("webapps"));
            writeServletApiProbe(base.resolve("webapps"));
            configureConnectorAndAccessLog(base);
        })) {
            Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
            tomcat.start(env, "/" + APP + "/public/ping");
            assertAll(() -> check(tomcat), () -> checkRoleRef(tomcat), () -> checkDispatch(tomcat),
                    () -> checkServletApi(tomcat), () -> checkConnectorAndAccessLog(tomcat));
        }
    }

    @Test
    void jettyModule() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("dispatches-jetty-authentication");
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-authentication", base -> {
            SecuredApps.copyLibraries(base.resolve("lib/jwtgate"), false);
            writeRoleRefVariant(base.resolve("webapps"));
            writeDispatchProbe(base.resolve("webapps"));
        })) {
            Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REVOCATION_STORE", "memory");
            jetty.start(env, "/" + ROLEREF + "/public/ping");
            checkRoleRef(jetty);
        }
    }

    @Test
    void jetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("dispatches-jetty");
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-base", base -> {
            Files.createDirectories(base.resolve("wars"));
            Files.copy(LegacyApps.builtWar(), base.resolve("wars/legacy.war"));
            writeProbe(base.resolve("webapps"));
            writeDispatchProbe(base.resolve("webapps"));
            writeServletApiProbe(base.resolve("webapps"));
        })) {
            Map<String, String> env = new HashMap<>();
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REVOCATION_STORE", "memory");
            jetty.start(env, "/" + APP + "/public/ping");
            assertAll(() -> check(jetty), () -> checkDispatch(jetty), () -> checkServletApi(jetty));
        }
    }
}
