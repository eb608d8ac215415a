package org.jwtgate.legacy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The WARs every container IT deploys, all made from the built legacy.war with JwtGate installed from
 * the distribution archive ({@link Distribution}): the application, a second application with another
 * configuration (and DPoP allowed), and two misconfigured variants, each differing only in its WEB-INF/web.xml. Also mints
 * the tokens each application accepts.
 */
final class LegacyApps {

    static final String LEGACY = "legacy";
    static final String OTHER = "other";
    static final String BAD_PARAM = "bad-param";
    static final String BAD_SECRET = "bad-secret";
    /** The application with JwtGate declared by {@code @WebFilter} ({@link AnnotatedJwtFilter}), not in web.xml. */
    static final String ANNOTATED = "annotated";
    /** The application with JwtGate declared by the README's web.xml example, copied from README.md. */
    static final String README = "readme";
    /** The application whose filter is mapped to /hello and the logout servlet only, with a rule beyond them. */
    static final String PARTLY_MAPPED = "partly-mapped";
    /** legacy.war built for Java EE (javax.servlet), dropped into Tomcat's webapps/ as it is. */
    static final String JAVAX = "javax";
    /** The same, dropped into Tomcat's webapps-javaee/ for Tomcat to convert. */
    static final String JAVAEE = "javaee";
    /** The README's web.xml example's issuer. */
    static final String README_ISSUER = "https://login.example.com";
    static final String README_AUDIENCE = "my-app";
    /** The xml block under the README's "### web.xml" heading. */
    private static final Pattern README_WEB_XML = Pattern.compile("### web\\.xml\\s+```xml\\n(.*?)```", Pattern.DOTALL);

    static final String LEGACY_ISSUER = "https://legacy.example";
    static final String LEGACY_AUDIENCE = "legacy-app";
    static final String OTHER_ISSUER = "https://other.example";
    static final String OTHER_AUDIENCE = "other-app";
    /** The second application's secret (the first one's is {@link TestTokens#SECRET}). */
    static final String OTHER_SECRET = "other-secret-abcdefghij0123456789";
    /** 9 bytes: far below HS256's 32; must never appear in a log. */
    static final String SHORT_SECRET = "short-k3y";

    private LegacyApps() {
    }

    /** legacy.war as an administrator deploys it: the application with the distribution's lib/webapp jars. */
    static synchronized Path builtWar() {
        try {
            Path installed = ServletContainer.requiredPath("it.dir").resolve("installed").resolve("legacy.war");
            Path built = ServletContainer.requiredPath("legacy.war");
            // Installed again after a rebuild: an earlier run's copy would test the earlier code.
            if (!Files.isRegularFile(installed)
                    || Files.getLastModifiedTime(built).compareTo(Files.getLastModifiedTime(installed)) > 0) {
                Distribution.install(built, installed.getParent(), "legacy.war", false);
            }
            return installed;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes {@code <name>.war} for the three variants into {@code dir}. */
    static void writeVariants(Path dir) throws IOException {
        variant(dir, OTHER, Map.of(
                "${env:APP_JWT_SECRET}", "${env:OTHER_JWT_SECRET}",
                LEGACY_ISSUER, OTHER_ISSUER,
                "<param-value>" + LEGACY_AUDIENCE + "</param-value>", "<param-value>" + OTHER_AUDIENCE + "</param-value>",
                "<param-value>legacy</param-value>", "<param-value>other</param-value>"
                        // Two replicas per revocation on a cluster with one each: every revocation logs a WARN.
                        + "</init-param><init-param><param-name>revocation.min-replicas</param-name>"
                        + "<param-value>2</param-value>"
                        // DPoP accepted beside bearer tokens: the request-binding rules meet the container's paths.
                        + "</init-param><init-param><param-name>dpop.mode</param-name><param-value>allowed</param-value>"));
        variant(dir, BAD_PARAM, Map.of(
                "<param-name>jwt.audience</param-name>", "<param-name>jwt.isuer</param-name>"
                        + "<param-value>typo</param-value></init-param><init-param><param-name>jwt.audience</param-name>"));
        variant(dir, BAD_SECRET, Map.of("${env:APP_JWT_SECRET}", "${env:APP_SHORT_SECRET}"));
    }

    /**
     * Writes {@code partly-mapped.war}: legacy.war with its filter mapped to the url-pattern /hello and, by name, to the
     * logout servlet (/logout) instead of /*, and {@code paths.roles} rules for /admin/*, which no request to the filter
     * reaches (nor legacy.war's own {@code paths.exclude} /public/*), and for /logout, which the servlet's mapping
     * reaches.
     */
    static void writePartlyMappedVariant(Path dir) throws IOException {
        variant(dir, PARTLY_MAPPED, Map.of(
                "<url-pattern>/*</url-pattern>", "<url-pattern>/hello</url-pattern><servlet-name>logout</servlet-name>",
                "<param-value>legacy</param-value>", "<param-value>" + PARTLY_MAPPED + "</param-value>"
                        + "</init-param><init-param><param-name>paths.roles</param-name>"
                        + "<param-value>/admin/*=admin;/logout=admin</param-value>"));
    }

    /**
     * Writes {@code annotated.war}: legacy.war whose web.xml declares no filter and is not metadata-complete, with
     * {@link AnnotatedJwtFilter} in WEB-INF/classes, as the README's {@code @WebFilter} example declares JwtGate.
     */
    static void writeAnnotatedVariant(Path dir) throws IOException {
        Path war = dir.resolve(ANNOTATED + ".war");
        Files.copy(builtWar(), war, StandardCopyOption.REPLACE_EXISTING);
        rewriteWebXml(war, content -> {
            if (!content.contains("metadata-complete=\"true\"")) {
                throw new IllegalStateException("legacy.war's web.xml changed: not metadata-complete");
            }
            return withFilterDeclaration(content, "").replace("metadata-complete=\"true\"", "metadata-complete=\"false\"");
        });
        SecuredApps.addClass(war, AnnotatedJwtFilter.class);
    }

    /**
     * Writes {@code readme.war}: legacy.war whose filter declaration is the README's web.xml example, read from
     * README.md as it stands (its issuer, its {@code paths.exclude}; its {@code redis.nodes} is overridden by the
     * JWTGATE_REDIS_NODES the containers get, as docs/operations.md says variables do).
     */
    static void writeReadmeVariant(Path dir) throws IOException {
        Path war = dir.resolve(README + ".war");
        Files.copy(builtWar(), war, StandardCopyOption.REPLACE_EXISTING);
        String readme = Files.readString(ServletContainer.requiredPath("jwtgate.conf").resolveSibling("README.md"));
        Matcher example = README_WEB_XML.matcher(readme);
        if (!example.find()) {
            throw new IllegalStateException("README.md has no xml block under \"### web.xml\"");
        }
        rewriteWebXml(war, content -> withFilterDeclaration(content, example.group(1)));
    }

    /**
     * Writes {@code <name>.war}: legacy.war as an application written for Java EE (Tomcat 9) is, its servlets and
     * web.xml javax.servlet ones, made with Tomcat's own migration tool run backwards (its profile JEE8). JwtGate's jar
     * is left as it is, a Jakarta Servlet 6 filter, as an administrator adds it to such an application.
     */
    static Path writeJavaxVariant(Path migrationTool, Path dir, String name) throws IOException {
        Path war = dir.resolve(name + ".war");
        Path log = Files.createTempFile(name + "-migration", ".log"); // not in dir: Tomcat's webapps/ is no place for it
        Process migration = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", migrationTool.toString(), "-profile=JEE8", "-exclude=jwtgate-*.jar",
                builtWar().toString(), war.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!migration.waitFor(2, TimeUnit.MINUTES) || migration.exitValue() != 0) {
                migration.destroyForcibly();
                throw new IllegalStateException("the migration tool did not convert legacy.war: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            migration.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("converting legacy.war to javax");
        } finally {
            Files.deleteIfExists(log);
        }
        rewriteWebXml(war, content -> content
                .replace("xmlns=\"https://jakarta.ee/xml/ns/jakartaee\"", "xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\"")
                .replace("https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd",
                        "http://xmlns.jcp.org/xml/ns/javaee http://xmlns.jcp.org/xml/ns/javaee/web-app_4_0.xsd")
                .replace("version=\"6.0\"", "version=\"4.0\""));
        return war;
    }

    /** {@code webXml} with legacy.war's {@code <filter>} … {@code </filter-mapping>} replaced by {@code declaration}. */
    private static String withFilterDeclaration(String webXml, String declaration) {
        int filter = webXml.indexOf("<filter>");
        int mappingEnd = webXml.indexOf("</filter-mapping>");
        if (filter < 0 || mappingEnd < filter) {
            throw new IllegalStateException("legacy.war's web.xml changed: no filter declaration to replace");
        }
        String rest = webXml.substring(mappingEnd + "</filter-mapping>".length());
        return webXml.substring(0, filter) + declaration + (declaration.isEmpty() ? rest.replaceFirst("^\\s*", "") : rest);
    }

    /** Rewrites {@code war}'s WEB-INF/web.xml in place. */
    private static void rewriteWebXml(Path war, UnaryOperator<String> change) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Path webXml = zip.getPath("WEB-INF", "web.xml");
            Files.writeString(webXml, change.apply(Files.readString(webXml, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
    }

    private static void variant(Path dir, String name, Map<String, String> replacements) throws IOException {
        variant(builtWar(), dir, name, replacements);
    }

    /** {@code <dir>/<name>.war}: a copy of {@code source} whose WEB-INF/web.xml has the replacements made. */
    static Path variant(Path source, Path dir, String name, Map<String, String> replacements) throws IOException {
        Path war = dir.resolve(name + ".war");
        Files.copy(source, war, StandardCopyOption.REPLACE_EXISTING);
        rewriteWebXml(war, content -> {
            for (Map.Entry<String, String> replacement : replacements.entrySet()) {
                if (!content.contains(replacement.getKey())) {
                    throw new IllegalStateException("web.xml has no [" + replacement.getKey() + "] to replace for " + name);
                }
                content = content.replace(replacement.getKey(), replacement.getValue());
            }
            return content;
        });
        return war;
    }

    /** The variables the deployed applications' web.xml files refer to with ${env:…}. */
    static Map<String, String> applicationSecrets() {
        return Map.of("OTHER_JWT_SECRET", OTHER_SECRET, "APP_SHORT_SECRET", SHORT_SECRET);
    }

    /** A token the legacy application accepts. */
    static String legacyToken(String subject, String... groups) {
        JwtClaims claims = TestTokens.claims(subject, groups);
        claims.setIssuer(LEGACY_ISSUER);
        claims.setAudience(LEGACY_AUDIENCE);
        return TestTokens.hs256(claims);
    }

    /** A token the README's web.xml example accepts, signed with the legacy application's secret (APP_JWT_SECRET). */
    static String readmeToken(String subject, String... groups) {
        return readmeTokenFor(README_AUDIENCE, subject, groups);
    }

    /** As {@link #readmeToken}, for another audience. */
    static String readmeTokenFor(String audience, String subject, String... groups) {
        JwtClaims claims = TestTokens.claims(subject, groups);
        claims.setIssuer(README_ISSUER);
        claims.setAudience(audience);
        return TestTokens.hs256(claims);
    }

    /** A token the second application accepts. */
    static String otherToken(String subject, String... groups) {
        return signedForOther(TestTokens.claims(subject, groups));
    }

    /** A token the second application accepts only with a DPoP proof signed by {@code key}. */
    static String otherDpopToken(String subject, DpopKey key) {
        return signedForOther(DpopKey.bind(TestTokens.claims(subject), key));
    }

    private static String signedForOther(JwtClaims claims) {
        claims.setIssuer(OTHER_ISSUER);
        claims.setAudience(OTHER_AUDIENCE);
        return TestTokens.sign(claims, "HS256", TestTokens.hmacKey(OTHER_SECRET), jws -> { });
    }

    /**
     * Every container and CLI run here waits up to 2 s for the replica's acknowledgement (default 200 ms), as the
     * filter-core and CLI cluster tests do: the tests assert "durable", which a slow CI disk must not turn into
     * "in force but not durable" (and a DEGRADED health for the minutes after).
     */
    static final String REPLICA_TIMEOUT_VARIABLE = "JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS";
    static final String REPLICA_TIMEOUT_MS = "2000";

    /**
     * What conf/tomcat/setenv.sh gives the legacy WARs in a container: their secrets, the JWT secret's file, the
     * cluster and the replica timeout.
     */
    static Map<String, String> containerEnvironment(Path secretFile, RedisCluster cluster) {
        Map<String, String> env = new java.util.HashMap<>(applicationSecrets());
        env.put("APP_JWT_SECRET_FILE", secretFile.toString());
        env.put("JWTGATE_REDIS_NODES", cluster.nodesSpec());
        env.put(REPLICA_TIMEOUT_VARIABLE, REPLICA_TIMEOUT_MS);
        return env;
    }

    /** What an operator exports to run the CLI against the legacy application's settings. */
    static Map<String, String> cliEnvironment(RedisCluster cluster) {
        return Map.of(
                "JWTGATE_JWT_SECRET", TestTokens.SECRET,
                "JWTGATE_JWT_ISSUER", LEGACY_ISSUER,
                "JWTGATE_JWT_AUDIENCE", LEGACY_AUDIENCE,
                "JWTGATE_REVOCATION_STORE", "redis-cluster",
                "JWTGATE_REDIS_NODES", cluster.nodesSpec(),
                REPLICA_TIMEOUT_VARIABLE, REPLICA_TIMEOUT_MS);
    }
}
