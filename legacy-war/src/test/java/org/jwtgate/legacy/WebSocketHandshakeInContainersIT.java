package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * docs/operations.md, "WebSocket endpoints" (Jetty 12): without the application's own declaration of Jetty's
 * WebSocketUpgradeFilter, a @ServerEndpoint on a protected path opens without a token; with the snippet the page gives,
 * declared after JwtGate's filter-mapping, the handshake goes through JwtGate (401 without a token) and the
 * endpoint's Session.getUserPrincipal() is the token's user. Checked in the real Jetty 12 distribution.
 */
class WebSocketHandshakeInContainersIT {

    private static final Pattern SNIPPET = Pattern.compile(
            "```xml\\n<!-- after JwtGate's <filter-mapping> -->\\n(.*?)```", Pattern.DOTALL);
    private static final String ENDPOINT = """
            package wsprobe;
            import jakarta.websocket.OnOpen;
            import jakarta.websocket.Session;
            import jakarta.websocket.server.ServerEndpoint;
            @ServerEndpoint("/ws")
            public class ProbeEndpoint {
                @OnOpen
                public void open(Session session) throws java.io.IOException {
                    session.getBasicRemote().sendText("user=" + (session.getUserPrincipal() == null ? "anonymous"
                            : session.getUserPrincipal().getName()));
                }
            }
            """;

    /** The endpoint, compiled against the distribution's own Jakarta WebSocket API. */
    private static Path compileEndpoint(Path dir) throws IOException {
        Path lib = ServletContainer.requiredPath("jetty.home").resolve("lib/ee10-websocket");
        return compileEndpoint(dir, lib.resolve("jakarta.websocket-api-2.1.1.jar") + java.io.File.pathSeparator
                + lib.resolve("jakarta.websocket-client-api-2.1.1.jar"));
    }

    private static Path compileEndpoint(Path dir, String api) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/wsprobe")).resolve("ProbeEndpoint.java");
        Files.writeString(source, ENDPOINT);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", api, source.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed: " + rc);
        }
        return classes.resolve("wsprobe/ProbeEndpoint.class");
    }

    private static void writeWar(Path dir, String name, String afterMapping, Path endpointClass) throws IOException {
        Path war = LegacyApps.variant(LegacyApps.builtWar(), dir, name, Map.of(
                "metadata-complete=\"true\"", "metadata-complete=\"false\"",
                "</filter-mapping>", "</filter-mapping>" + afterMapping,
                "<param-value>legacy</param-value>", "<param-value>" + name + "</param-value>"));
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Path target = zip.getPath("WEB-INF", "classes", "wsprobe", "ProbeEndpoint.class");
            Files.createDirectories(target.getParent());
            Files.copy(endpointClass, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** "101 user=…" when the handshake opens, else "<status> refused". */
    private static String open(ServletContainer container, String path, String token) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }
        };
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            WebSocket ws = builder.buildAsync(URI.create("ws://127.0.0.1:" + container.httpPort + path), listener)
                    .get(10, TimeUnit.SECONDS);
            String text = first.get(10, TimeUnit.SECONDS);
            ws.abort();
            return "101 " + text;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode() + " refused";
            }
            throw e;
        }
    }

    @Test
    void jetty() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "operations.md"));
        Matcher snippet = SNIPPET.matcher(docs);
        if (!snippet.find()) {
            throw new IllegalStateException("no WebSocket snippet in docs/operations.md");
        }
        Path instance = ServletContainer.freshInstanceDir("websocket-jetty");
        Path endpoint = compileEndpoint(ServletContainer.freshInstanceDir("websocket-endpoint-jetty"));
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-base", base -> {
            Files.writeString(base.resolve("start.d/ee10-websocket-jakarta.ini"), "--modules=ee10-websocket-jakarta\n");
            Files.createDirectories(base.resolve("wars"));
            Files.copy(LegacyApps.builtWar(), base.resolve("wars/legacy.war"));
            writeWar(base.resolve("webapps"), "ws-default", "", endpoint);
            writeWar(base.resolve("webapps"), "ws-declared", snippet.group(1), endpoint);
        })) {
            Map<String, String> env = new HashMap<>();
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REVOCATION_STORE", "memory");
            jetty.start(env, "/ws-declared/public/ping");
            String token = LegacyApps.legacyToken("alice", "admin");
            String defaultAnonymous = open(jetty, "/ws-default/ws", null);
            String declaredAnonymous = open(jetty, "/ws-declared/ws", null);
            String declaredUser = open(jetty, "/ws-declared/ws", token);
            assertAll(
                    () -> assertEquals("101 user=anonymous", defaultAnonymous, "without the declaration (docs: opens)"),
                    () -> assertEquals("401 refused", declaredAnonymous, "with the docs' declaration, no token"),
                    () -> assertEquals("101 user=alice", declaredUser, "with the docs' declaration and a token"));
        }
    }

    /** docs/operations.md: "Tomcat's WebSocket filter comes after the application's filters: nothing to declare there." */
    @Test
    void tomcat() throws Exception {
        Path tomcatLib = ServletContainer.requiredPath("tomcat.home").resolve("lib");
        Path endpoint = compileEndpoint(ServletContainer.freshInstanceDir("websocket-endpoint-tomcat"), tomcatLib.resolve("websocket-api.jar")
                + java.io.File.pathSeparator + tomcatLib.resolve("websocket-client-api.jar"));
        Path instance = ServletContainer.freshInstanceDir("websocket-tomcat");
        try (TomcatContainer tomcat = new TomcatContainer(instance, (base, conf) -> {
            Files.writeString(base.resolve("bin/setenv.sh"), "export JWTGATE_REVOCATION_STORE=memory\n"
                    + "export APP_JWT_SECRET='" + TestTokens.SECRET + "'\n");
            writeWar(base.resolve("webapps"), "ws-default", "", endpoint);
        })) {
            tomcat.start(new HashMap<>(tomcat.catalinaEnvironment()), "/ws-default/public/ping");
            String anonymous = open(tomcat, "/ws-default/ws", null);
            String user = open(tomcat, "/ws-default/ws", LegacyApps.legacyToken("alice", "admin"));
            assertAll(
                    () -> assertEquals("401 refused", anonymous, "Tomcat, no declaration, no token"),
                    () -> assertEquals("101 user=alice", user, "Tomcat, no declaration, a token"));
        }
    }
}
