package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testing.TlsCertificates;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Certificate-bound tokens (RFC 8705 §3) over HTTP through the real filter in Jetty 12: a token whose {@code cnf} names
 * a client certificate ({@code x5t#S256}) passes only on a connection that presented that certificate; otherwise 401
 * {@code invalid_token}. Over plain HTTP, and over a real mutual-TLS connector (Jetty's {@code SecureRequestCustomizer}
 * sets the certificate attribute) with the JDK's HttpClient presenting a client certificate, another one, or none.
 */
class CertificateBoundTokenIT {

    private static final String REFUSED = "Bearer realm=\"jwtgate\", error=\"invalid_token\", "
            + "error_description=\"The access token is bound to a client certificate the request did not present\"";
    private static TlsCertificates certificates;

    @BeforeAll
    static void makeCertificates() {
        certificates = TlsCertificates.create();
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        certificates.close();
    }

    private static String boundTo(String alias) {
        JwtClaims claims = TestTokens.claims("alice", "admin");
        claims.setClaim("cnf", Map.of("x5t#S256", certificates.thumbprint(alias)));
        return TestTokens.hs256(claims);
    }

    private static String describe(HttpResponse<String> response) {
        return response.statusCode() + " " + response.headers().allValues("WWW-Authenticate") + " " + response.body();
    }

    private static void assertRefused(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), describe(response));
        assertEquals(java.util.List.of(REFUSED), response.headers().allValues("WWW-Authenticate"));
        assertEquals("{\"error\":\"invalid_token\",\"error_description\":\"The access token is bound to a client certificate"
                + " the request did not present\"}", response.body());
    }

    /** Before 1.1.0 such a token passed as a bearer token: stolen, it worked for anyone. */
    @Test
    void whenACertificateBoundTokenComesOverPlainHttpThen401InvalidToken() throws Exception {
        try (JettyApp app = JettyApp.start(TestTokens.settings())) {
            assertRefused(app.getWithToken("/api", boundTo("client")));
            assertRefused(app.get("/api", "Cookie", "access_token=" + boundTo("client"))); // the cookie too
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("alice", "admin")).statusCode(),
                    "a token without the binding passes as before");
        }
    }

    @Test
    void whenTheMutualTlsClientPresentsTheBoundCertificateThen200AndOtherwise401() throws Exception {
        Server server = mutualTlsServer();
        try {
            URI api = URI.create("https://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/api");
            String token = boundTo("client");

            HttpResponse<String> matching = get(client("client"), api, token);
            assertEquals(200, matching.statusCode(), describe(matching));
            assertEquals("user=alice certificate=CN=client", matching.body());

            assertRefused(get(client("other"), api, token));
            assertRefused(get(client(null), api, token));
            assertEquals(200, get(client(null), api, TestTokens.hs256("alice", "admin")).statusCode(),
                    "a bearer token without the binding needs no certificate");
        } finally {
            server.stop();
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A client of its own (its own TLS session): presenting {@code alias}'s certificate, or none when null. */
    private static HttpClient client(String alias) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(certificates.clientContext(alias)).build();
    }

    /**
     * Jetty over TLS only, on a free loopback port, asking for a client certificate (want, not need: a client without
     * one still gets to the filter), trusting the two clients' self-signed certificates.
     */
    private static Server mutualTlsServer() throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(certificates.store("server").toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(TlsCertificates.PASSWORD);
        tls.setTrustStore(certificates.trustStore("client", "other"));
        tls.setWantClientAuth(true);
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer(false)); // no SNI host check: the client connects to an IP
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(JettyApp.jwtGate(TestTokens.settings()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new CertificateEcho()), "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** The caller, and the subject of the certificate the container saw. */
    static final class CertificateEcho extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object chain = request.getAttribute("jakarta.servlet.request.X509Certificate");
            String subject = chain instanceof java.security.cert.X509Certificate[] certificates && certificates.length > 0
                    ? certificates[0].getSubjectX500Principal().getName() : "none";
            response.setContentType("text/plain");
            response.getWriter().print("user=" + request.getUserPrincipal().getName() + " certificate=" + subject);
        }
    }
}
