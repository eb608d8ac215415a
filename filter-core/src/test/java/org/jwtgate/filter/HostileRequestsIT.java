package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.CookieCompliance;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Hostile requests, byte for byte over a socket, to a real Jetty 12 whose servlets sit where the path rules
 * are: {@code /public/*} excluded, {@code /optional/*} optional, {@code /admin/*} needs role admin, {@code /api/*}
 * and the default servlet protected. Each goes to Jetty with its defaults, and to a lenient Jetty (UNSAFE URIs,
 * ambiguous URIs decoded, LEGACY HTTP, RFC6265_LEGACY cookies) where the filter's own defences are what stands.
 * Whatever the request: never a 500 or a dropped connection, no protected servlet runs without a verified caller,
 * the admin servlet never runs for a caller without the role, no answer or log line holds a token, and no stack
 * trace passes through the filter. The listed statuses are those of Jetty with its defaults (and, where given,
 * of the lenient one).
 */
class HostileRequestsIT {

    /** Jetty's header limit: above {@code token.max-length} (8192), so an overlong token reaches the filter. */
    private static final int HEADER_LIMIT = 16 * 1024;
    /** How long to wait for more once an answer began: Jetty keeps a CONNECT's connection open after answering. */
    private static final int AFTER_ANSWER_MILLIS = 3_000;
    private static final String USER = TestTokens.hs256("alice", "user");
    private static final String ADMIN = TestTokens.hs256("root", "admin");
    private static final String BEARER = "Authorization: Bearer ";
    /** Who ran: servlet, remote user, whether the caller holds admin. */
    private static final Queue<String[]> RAN = new ConcurrentLinkedQueue<>();
    /** What the applications log, from their start to their stop. */
    private static CapturedLog appLog;
    private static Server defaults;
    private static Server lenient;
    /** The port the requests being built are for. */
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        appLog = CapturedLog.standardError();
        defaults = startApp(false);
        lenient = startApp(true);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (Server server : new Server[] {defaults, lenient}) {
                if (server != null) {
                    server.stop();
                }
            }
        } finally {
            if (appLog != null) {
                appLog.close();
            }
        }
    }

    private static Server startApp(boolean lenientJetty) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(HEADER_LIMIT);
        if (lenientJetty) {
            http.setUriCompliance(UriCompliance.UNSAFE);
            http.setHttpCompliance(HttpCompliance.LEGACY);
            http.setRequestCookieCompliance(CookieCompliance.RFC6265_LEGACY);
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(lenientJetty);
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*, /health");
        params.put(ConfigKeys.PATHS_OPTIONAL, "/optional/*");
        params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
        FilterHolder holder = new FilterHolder(JwtAuthFilter.builder().sources(ConfigSources.none()).build());
        holder.setName(lenientJetty ? "jwtgate-lenient" : "jwtgate-defaults"); // one MBean name each
        holder.setInitParameters(params);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        for (String name : List.of("api", "admin", "public", "optional")) {
            context.addServlet(new ServletHolder(new Recording(name)), "/" + name + "/*");
        }
        context.addServlet(new ServletHolder(new Recording("health")), "/health");
        context.addServlet(new ServletHolder(new Recording("default")), "/");
        server.setHandler(context);
        server.start();
        return server;
    }

    private static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Records who ran, and answers every method itself (HttpServlet's doTrace would echo the token back). */
    static final class Recording extends HttpServlet {
        private final String name;

        Recording(String name) {
            this.name = name;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            RAN.add(new String[] {name, request.getRemoteUser(), Boolean.toString(request.isUserInRole("admin"))});
            response.setContentType("text/plain");
            response.getWriter().print("servlet=" + name + " user=" + request.getRemoteUser());
        }
    }

    // ---- the requests -------------------------------------------------------------------------------------

    /** Every request to each application; the expected statuses are checked against Jetty's defaults only. */
    static Stream<Arguments> requests() {
        List<Arguments> all = new ArrayList<>();
        for (Server app : new Server[] {defaults, lenient}) {
            port = port(app);
            for (Object[] each : requestsToOneApp()) {
                all.add(Arguments.of((app == lenient ? "lenient Jetty: " : "") + each[0], port, each[1],
                        app == lenient ? each[3] : each[2]));
            }
        }
        return all.stream();
    }

    private static List<Object[]> requestsToOneApp() {
        String origin = "http://127.0.0.1:" + port;
        String cookie = "Cookie: access_token=" + USER;
        List<Object[]> all = new ArrayList<>();
        // Controls: each servlet is reachable, so every refusal below is the filter's or Jetty's.
        all.add(ask("control: /api with a token", get("/api/x", BEARER + USER), 200));
        all.add(ask("control: /api without", get("/api/x"), 401));
        all.add(ask("control: /admin with admin", get("/admin/x", BEARER + ADMIN), 200));
        all.add(ask("control: /admin with user", get("/admin/x", BEARER + USER), 403));
        all.add(ask("control: /public without", get("/public/x"), 200));
        all.add(ask("control: /optional without", get("/optional/x"), 200));
        all.add(ask("control: the default servlet", get("/other"), 401));
        // Path tricks, each without a token and with a token that lacks the admin role.
        for (String path : List.of("/public/..;/api", "/public/%2e%2e/api", "/public/%2E%2E%2Fapi", "//api", "/api;x=y",
                "/api/./", "/./api", "/ADMIN/x", "/admin%2Fx", "/admin/%2e/x", "/admin/%2E%2E/admin/x", "/admin./x",
                "/admin/x.", "/admin/x/", "/admin//x", "/admin", "/admin;x=y/z", "/admin/x;jsessionid=1", "/;/admin/x",
                "/public;/../admin/x", "/public/../admin/x", "/public/..%2fadmin/x", "/public%2f..%2fapi",
                "/optional/..;/admin/x", "/optional/%2e%2e/admin/x", "/health/../admin/x", "/health;/admin",
                "/public/%252e%252e/api", "/public/%c0%ae%c0%ae/api", "/public/..%00/api", "/admin%00/x",
                "/public/%00/../api", "/publ%C4%B1c/x", "/%EF%BC%A1DMIN/x", "/%61dmin/x", "/%2561dmin/x",
                "/public\\..\\api", "/public/..%5cadmin/x", "/admin%5cx", "/public/%2e%2e;/admin/x", "/admin/x%3b.css",
                "/admin%3b/x", "/public/%0d%0a/../admin/x", "/admin%20/x", "/admin%09/x", "/%2fadmin/x", "/.%2e/admin/x",
                "/public/.../admin/x", "/a;p=1/..;/admin;x/y", "/public;p=1/x;q=2/..;r=3/..;/admin;s=4/x",
                "/admin/" + "a".repeat(6000), "/public/" + "../".repeat(50) + "admin/x", "/api#/public/", "*", "admin/x",
                "/public/x?..;/admin", "/admin/x%")) {
            all.add(ask("no token: " + shorten(path), get(path)));
            all.add(ask("user token: " + shorten(path), get(path, BEARER + USER)));
        }
        // Header tricks.
        all.add(ask("two Authorization headers", get("/api/x", BEARER + ADMIN, BEARER + USER), 400));
        all.add(ask("two tokens folded into one header", get("/admin/x", BEARER + ADMIN + ", Bearer " + USER), 400));
        all.add(ask("lower-case header and scheme", get("/api/x", "authorization: bearer " + USER), 200));
        all.add(ask("tab after Bearer", get("/api/x", "Authorization: Bearer\t" + USER), 400));
        // RFC 6750 §2.1: "Bearer" 1*SP b64token. A tab after the space was dropped with it and the token taken.
        all.add(ask("space and tab after Bearer", get("/api/x", "Authorization: Bearer \t" + USER), 400));
        all.add(ask("tab after the token", get("/api/x", "Authorization: Bearer " + USER + "\t"), 200));
        all.add(ask("several spaces", get("/api/x", "Authorization:   Bearer    " + USER + "   "), 200));
        all.add(ask("empty Authorization", get("/api/x", "Authorization:"), 401));
        all.add(ask("Bearer without a token", get("/api/x", "Authorization: Bearer"), 400));
        all.add(ask("Bearer colon", get("/api/x", "Authorization: Bearer: " + USER), 400));
        all.add(ask("obs-fold", get("/api/x", "Authorization: Bearer\r\n " + USER), 400));
        all.add(ask("Latin-1 bytes after Bearer", get("/api/x", BEARER + "\u00ff\u00fe\u00e9"), 400));
        all.add(ask("invalid UTF-8 after Bearer", get("/api/x", BEARER + "\u00c3\u0028" + USER), 400));
        all.add(ask("control byte in the token", get("/api/x", BEARER + "ab\u0001" + USER), 400));
        all.add(ask("NBSP after the token", get("/api/x", BEARER + USER + "\u00a0"), 400));
        all.add(ask("only padding", get("/api/x", BEARER + "==="), 400));
        all.add(ask("invalid UTF-8 in Cookie", get("/api/x", "Cookie: access_token=\u00c3\u0028" + USER), 401));
        all.add(ask("Latin-1 cookie name", get("/api/x", "Cookie: caf\u00e9=1; access_token=" + USER), 200));
        all.add(ask("cookie name $Version", get("/api/x", "Cookie: $Version=1; access_token=" + USER + "; $Path=/"), 200));
        all.add(ask("cookie without a name", get("/api/x", "Cookie: =x; access_token=" + USER), 200));
        // Jetty drops such names; with legacy cookie parsing the Servlet API cannot represent them: 400.
        all.add(askBoth("cookie named (", get("/api/x", "Cookie: (=1"), 401, 400));
        all.add(askBoth("cookie named a/b after the token", get("/api/x", cookie + "; a/b=2"), 200, 400));
        all.add(askBoth("header token and a cookie named (", get("/api/x", BEARER + USER, "Cookie: (=1"), 200, 400));
        all.add(ask("cookie with a comma", get("/api/x", cookie + ", x=1"), 401));
        all.add(ask("unterminated quote", get("/api/x", "Cookie: access_token=\"" + USER), 401));
        all.add(ask("quoted cookie value", get("/api/x", "Cookie: access_token=\"" + USER + "\""), 200));
        // Jetty takes one pair of quotes off; its default parser drops these, the lenient one hands "<token>" over, which
        // the filter refuses as malformed (this session's reviews saw an unwrapping of such quotes take them).
        all.add(askBoth("doubly quoted cookie value", get("/api/x", "Cookie: access_token=\"\"" + USER + "\"\""), 401, 400));
        all.add(askBoth("escaped quotes in a quoted cookie value",
                get("/api/x", "Cookie: access_token=\"\\\"" + USER + "\\\"\""), 401, 400));
        // Default Jetty drops the doubly quoted pair and takes the other; under the lenient parser both reach the filter,
        // the first as "<token>".
        all.add(askBoth("doubly quoted cookie beside a quoted one",
                get("/api/x", "Cookie: access_token=\"\"" + USER + "\"\"; access_token=\"" + USER + "\""), 200, 400));
        all.add(ask("quoted cookie value, spaces around =", get("/api/x", "Cookie: access_token = \"" + USER + "\""), 200));
        all.add(ask("two equal token cookies", get("/api/x", cookie + "; access_token=" + USER), 200));
        all.add(ask("two token cookies", get("/admin/x", "Cookie: access_token=" + ADMIN + "; access_token=" + USER), 400));
        all.add(ask("two Cookie headers", get("/admin/x", "Cookie: access_token=" + ADMIN, cookie), 400));
        all.add(ask("cleared and real cookie", get("/api/x", "Cookie: access_token=; access_token=" + USER), 200));
        all.add(ask("header and cookie differ", get("/admin/x", BEARER + USER, "Cookie: access_token=" + ADMIN), 400));
        all.add(ask("DPoP scheme with another cookie", get("/admin/x", "Authorization: DPoP " + ADMIN, cookie), 403));
        all.add(ask("token above token.max-length", get("/api/x", BEARER + "a".repeat(8193)), 401));
        all.add(ask("cookie above token.max-length", get("/api/x", "Cookie: access_token=" + "a".repeat(8193)), 401));
        all.add(ask("header above Jetty's limit", get("/api/x", BEARER + "a".repeat(HEADER_LIMIT + 1)), 431));
        all.add(ask("DPoP header without DPoP", get("/api/x", BEARER + USER, "DPoP: " + USER), 200));
        all.add(ask("DPoP scheme without DPoP", get("/api/x", "Authorization: DPoP " + USER), 401));
        // The token in the cookie, on an unsafe method: Origin forms.
        for (Object[] form : new Object[][] {{"no Origin", null, 403}, {"Origin null", "null", 403},
                {"same Origin", origin, 200}, {"Origin with a path", origin + "/x", 200},
                {"Origin in upper case", "HTTP://127.0.0.1:" + port, 200}, {"default port", "http://127.0.0.1:80", 403},
                {"userinfo", origin + "@evil.example", 403}, {"cross-site", "https://evil.example", 403}}) {
            String[] headers = form[1] == null ? new String[] {cookie, "Content-Length: 0"}
                    : new String[] {cookie, "Origin: " + form[1], "Content-Length: 0"};
            all.add(ask("POST by cookie, " + form[0], http11("POST", "/api/x", headers), (Integer) form[2]));
        }
        all.add(ask("POST by cookie, two Origins", http11("POST", "/api/x", cookie, "Origin: https://evil.example",
                "Origin: " + origin, "Content-Length: 0"), 403));
        all.add(ask("POST by cookie, Sec-Fetch-Site cross-site", http11("POST", "/api/x", cookie,
                "Sec-Fetch-Site: cross-site", "Origin: " + origin, "Content-Length: 0"), 403));
        all.add(ask("lower-case post by cookie", http11("post", "/api/x", cookie, "Origin: https://evil.example",
                "Content-Length: 0"), 403));
        all.add(ask("unknown method by cookie", http11("FROB", "/api/x", cookie, "Origin: https://evil.example"), 403));
        // Methods and protocol.
        all.add(ask("TRACE", http11("TRACE", "/api/x"), 401));
        all.add(ask("OPTIONS", http11("OPTIONS", "/admin/x"), 401));
        all.add(ask("OPTIONS *", http11("OPTIONS", "*"), 404));
        all.add(ask("CONNECT", http11("CONNECT", "127.0.0.1:" + port), 401));
        all.add(ask("CONNECT with a path", http11("CONNECT", "/admin/x", BEARER + USER), 400));
        all.add(ask("unknown method", http11("FROB", "/admin/x"), 401));
        all.add(ask("HEAD", http11("HEAD", "/admin/x", BEARER + USER), 403));
        all.add(ask("POST, Expect: 100-continue", http11("POST", "/api/x", "Expect: 100-continue", "Content-Length: 5"), 401));
        all.add(ask("HTTP/1.0 without Host", raw("GET /api/x HTTP/1.0"), 401));
        all.add(ask("HTTP/1.0 without Host, user token", raw("GET /admin/x HTTP/1.0", BEARER + USER), 403));
        all.add(ask("HTTP/0.9", "GET /api/x\r\n\r\n", 505));
        all.add(ask("HTTP/2 request line", raw("GET /api/x HTTP/2.0", "Host: 127.0.0.1"), 426));
        all.add(ask("absolute-form", get("http://127.0.0.1:" + port + "/api/x"), 401));
        all.add(ask("absolute-form, other Host", raw("GET " + origin + "/admin/x HTTP/1.1", "Host: evil.example",
                BEARER + USER), 400));
        all.add(ask("absolute-form, dot segments", get("http://evil.example/public/../admin/x", BEARER + USER), 400));
        all.add(ask("absolute-form https", get("https://127.0.0.1:" + port + "/admin/x"), 401));
        all.add(ask("absolute-form with userinfo", get("http://u:p@127.0.0.1:" + port + "/admin/x"), 400));
        all.add(ask("two Host headers", raw("GET /admin/x HTTP/1.1", "Host: a", "Host: b", BEARER + USER), 400));
        all.add(ask("Host with a path", raw("GET /api/x HTTP/1.1", "Host: 127.0.0.1/public"), 400));
        all.add(ask("chunked and Content-Length", http11("POST", "/api/x", "Transfer-Encoding: chunked",
                "Content-Length: 3"), 400));
        return all;
    }

    /** Statuses expected from Jetty with its defaults (none: any but 500); the lenient Jetty's are not checked. */
    private static Object[] ask(String name, String request, Integer... expected) {
        return new Object[] {name, request, Set.of(expected), Set.of()};
    }

    private static Object[] askBoth(String name, String request, int onDefaults, int onLenient) {
        return new Object[] {name, request, Set.of(onDefaults), Set.of(onLenient)};
    }

    private static String get(String target, String... headers) {
        return http11("GET", target, headers);
    }

    /** An HTTP/1.1 request with this application's {@code Host}. */
    private static String http11(String method, String target, String... headers) {
        String[] all = new String[headers.length + 1];
        all[0] = "Host: 127.0.0.1:" + port;
        System.arraycopy(headers, 0, all, 1, headers.length);
        return raw(method + " " + target + " HTTP/1.1", all);
    }

    /** The request line and header lines as given, then {@code Connection: close}; sent as ISO-8859-1 bytes. */
    private static String raw(String requestLine, String... headers) {
        StringBuilder text = new StringBuilder(requestLine).append("\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        return text.append("Connection: close\r\n\r\n").toString();
    }

    // ---- the checks ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void whenHostileRequestThenNo500NoBypassNoLeak(String name, int appPort, String request, Set<?> expected)
            throws Exception {
        RAN.clear();
        int logStart = appLog.position();
        String answer = send(appPort, request);
        String log = appLog.since(logStart);
        int status = status(answer);

        assertNotEquals(-1, status, name + ": no HTTP answer: " + answer);
        assertNotEquals(500, status, name + ": 500: " + shorten(answer) + "\n" + log);
        for (String[] ran : RAN) {
            assertTrue(!Set.of("api", "admin", "default").contains(ran[0]) || ran[1] != null,
                    name + ": " + ran[0] + " servlet ran without a verified token: " + shorten(answer));
            assertTrue(!ran[0].equals("admin") || ran[2].equals("true"), name + ": admin servlet ran for " + ran[1]);
        }
        if (!expected.isEmpty()) {
            assertTrue(expected.contains(status), name + ": expected " + expected + ": " + shorten(answer));
        }
        assertNoTokenIn(answer + log);
        assertFalse(log.contains("at org.jwtgate."), name + ": a stack trace through the filter: " + log);
    }

    /** Keep-alive: what one request authenticated never carries over to the next on the same connection. */
    @Test
    void whenRequestsShareAConnectionThenNothingCarriesOver() throws Exception {
        port = port(defaults);
        String first = http11("GET", "/admin/x", BEARER + ADMIN).replace("Connection: close\r\n", "");
        String second = http11("GET", "/admin/x", "Cookie: access_token=" + ADMIN + "x").replace("Connection: close\r\n", "");
        RAN.clear();
        String answers = send(port, first + second + get("/admin/x", BEARER + USER));
        List<Integer> statuses = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(answers);
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
        }
        assertEquals(List.of(200, 401, 403), statuses, answers);
        assertEquals(1, RAN.size());
        assertEquals("root", RAN.peek()[1]);
    }

    /**
     * A Jetty that takes encoded slashes (as an API with slashes in its identifiers needs: the URI compliance's
     * AMBIGUOUS_PATH_SEPARATOR and the servlet handler's decodeAmbiguousURIs), or the lenient one, hands
     * {@code /%2Fadmin/report.html} and {@code //admin/report.html} over as the servlet path
     * {@code //admin/report.html}: no {@code /admin/*} mapping takes it, and its DefaultServlet serves the file
     * {@code admin/report.html}. The role rule {@code /admin/*=admin} must hold for it all the same.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"encoded slashes", "lenient"})
    void whenJettyHandsOverAnUnnormalizedPathToAFileUnderARoleRuleThenTheRoleIsStillRequired(String jetty,
            @TempDir java.nio.file.Path webRoot) throws Exception {
        java.nio.file.Files.createDirectories(webRoot.resolve("admin"));
        java.nio.file.Files.writeString(webRoot.resolve("admin/report.html"), "admin report");
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(jetty.equals("lenient") ? UriCompliance.UNSAFE
                : UriCompliance.DEFAULT.with("encoded slashes", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.setBaseResource(ResourceFactory.of(context).newResource(webRoot));
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
        FilterHolder holder = new FilterHolder(JwtAuthFilter.builder().sources(ConfigSources.none()).build());
        holder.setName("jwtgate-static-" + jetty.replace(' ', '-'));
        holder.setInitParameters(params);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
        server.setHandler(context);
        server.start();
        try {
            port = port(server);
            List<String> paths = jetty.equals("lenient")
                    ? List.of("/admin/report.html", "/%2Fadmin/report.html", "//admin/report.html", "/;/admin/report.html",
                            "/x/%2e%2e//admin/report.html")
                    : List.of("/admin/report.html", "/%2Fadmin/report.html", "/%2fadmin/report.html");
            for (String path : paths) {
                String asUser = send(port, get(path, BEARER + USER));
                assertEquals(403, status(asUser), path + " as a user without the role: " + shorten(asUser));
                assertFalse(asUser.contains("admin report"), path);
                assertEquals(401, status(send(port, get(path))), path + " without a token");
                String asAdmin = send(port, get(path, BEARER + ADMIN));
                assertTrue(status(asAdmin) == 200 && asAdmin.contains("admin report"), path + " as admin: " + shorten(asAdmin));
            }
        } finally {
            server.stop();
        }
    }

    private static void assertNoTokenIn(String text) {
        for (String token : List.of(USER, ADMIN)) {
            assertFalse(text.contains(token.substring(token.lastIndexOf('.') + 1)), "a token is echoed or logged");
        }
    }

    /** The status of the first answer; 0 for an HTTP/0.9 answer (a body without a status line), -1 for none. */
    private static int status(String answer) {
        if (answer.startsWith("HTTP/1.") && answer.length() >= 12) {
            return Integer.parseInt(answer.substring(9, 12));
        }
        return answer.startsWith("{\"error\":") ? 0 : -1;
    }

    /**
     * Writes from a second thread (the server may stop reading early) and reads until the server closes, or until
     * nothing more arrives for {@value #AFTER_ANSWER_MILLIS} ms once an answer began.
     */
    private static String send(int port, String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // The server answered early and closed: what it answered is read below.
                }
            });
            writer.setDaemon(true);
            writer.start();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                    // An answer came: a CONNECT's connection would otherwise hold this case for the whole timeout.
                    socket.setSoTimeout(AFTER_ANSWER_MILLIS);
                }
            } catch (IOException e) {
                // A reset after the answer: keep what arrived.
            }
            writer.join(10_000);
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String shorten(String text) {
        String visible = text.replaceAll("[\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f-\\xff]", "?");
        return visible.length() > 300 ? visible.substring(0, 300) + "…(" + visible.length() + ")" : visible;
    }
}
