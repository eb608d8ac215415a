package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * conf/web.xml (the "complete example" docs/operations.md tells users to copy) excludes {@code *.css} and
 * guards {@code /admin/*=admin}. With a servlet mapped to {@code /admin/*} (a prefix mapping, which the Servlet spec
 * prefers over any extension mapping), {@code /admin/anything.css} reaches that servlet, not a stylesheet: the filter
 * once took it for a public one and let it through with no token and no role check. A stylesheet the default
 * servlet serves stays public. Real Tomcat 11 and Jetty 12.
 */
class ExtensionRulesUnderServletMappingsIT {

    private static final String APP = "conf-example";

    /** legacy.war whose filter declaration is conf/web.xml's, as it stands, and whose HelloServlet also serves /admin/*. */
    static void writeWar(Path dir) throws IOException {
        String conf = Files.readString(ServletContainer.requiredPath("jwtgate.conf").resolve("web.xml"));
        String declaration = conf.substring(conf.indexOf("  <filter>"), conf.indexOf("</filter-mapping>") + "</filter-mapping>".length());
        Path war = dir.resolve(APP + ".war");
        Files.copy(LegacyApps.builtWar(), war, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Path webXml = zip.getPath("WEB-INF", "web.xml");
            String content = Files.readString(webXml);
            int filter = content.indexOf("<filter>");
            int end = content.indexOf("</filter-mapping>") + "</filter-mapping>".length();
            content = content.substring(0, filter) + declaration.strip() + content.substring(end);
            content = content.replace("<url-pattern>/hello</url-pattern>",
                    "<url-pattern>/hello</url-pattern><url-pattern>/admin/*</url-pattern>");
            Files.writeString(webXml, content);
            Files.writeString(zip.getPath("site.css"), "body { color: black }\n");
        }
    }

    private static String token(String subject, String... groups) {
        org.jose4j.jwt.JwtClaims claims = TestTokens.claims(subject, groups);
        claims.setIssuer("https://login.example.com");
        claims.setAudience("my-app");
        return TestTokens.hs256(claims);
    }

    private static void check(ServletContainer c) throws Exception {
        String p = "/" + APP;
        HttpResponse<String> adminPage = c.get(p + "/admin/users");
        HttpResponse<String> adminCss = c.get(p + "/admin/users.css");
        // A real stylesheet, served by the container's file servlet, stays public.
        HttpResponse<String> css = c.get(p + "/site.css");
        HttpResponse<String> adminDeepCss = c.get(p + "/admin/users/delete/x.css");
        assertAll(c.name(),
                () -> assertEquals(200, css.statusCode(), "/site.css anonymous: " + css.body()),
                () -> assertEquals(401, adminPage.statusCode(), "/admin/users anonymous: " + adminPage.body()),
                () -> assertEquals(401, adminCss.statusCode(),
                        "/admin/users.css anonymous, served by the /admin/* servlet: " + adminCss.body().strip()),
                () -> assertEquals(401, adminDeepCss.statusCode(),
                        "/admin/users/delete/x.css anonymous, served by the /admin/* servlet: " + adminDeepCss.body().strip()));
    }

    @Test
    void tomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("extension-rules-tomcat");
        try (TomcatContainer tomcat = new TomcatContainer(instance, (base, conf) -> {
            Files.writeString(base.resolve("bin/setenv.sh"), "export JWTGATE_REDIS_NODES=127.0.0.1:1\n"
                    + "export JWTGATE_REDIS_TIMEOUT_MS=100\nexport APP_JWT_SECRET='" + TestTokens.SECRET + "'\n");
            writeWar(base.resolve("webapps"));
        })) {
            tomcat.start(new HashMap<>(tomcat.catalinaEnvironment()), "/" + APP + "/public/ping");
            check(tomcat);
        }
    }

    @Test
    void jetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("extension-rules-jetty");
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-base", base -> {
            Files.createDirectories(base.resolve("wars"));
            Files.copy(LegacyApps.builtWar(), base.resolve("wars/legacy.war"));
            writeWar(base.resolve("webapps"));
        })) {
            Map<String, String> env = new HashMap<>();
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REDIS_NODES", "127.0.0.1:1");
            env.put("JWTGATE_REDIS_TIMEOUT_MS", "100");
            jetty.start(env, "/" + APP + "/public/ping");
            check(jetty);
        }
    }
}
