package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * JwtGate coexists with what a container and a legacy WAR already carry: the WAR ships filter-core
 * and its runtime dependencies, never the servlet API, never a logging binding; the filter-core
 * jar itself holds no servlet API class and no SLF4J binding or provider registration.
 *
 * <p>The WARs as Maven packaged them (a plain dependency, docs/operations.md "What goes into the WAR"), not
 * the container ITs' copies, whose WEB-INF/lib the distribution's jars replace: those would pass whatever
 * the build put there (DistributionIT checks the archive's jars).
 */
class PackagedWarIT {

    private static Path legacyWar() {
        return ServletContainer.requiredPath("legacy.war");
    }

    private static Path securedWar() {
        return ServletContainer.requiredPath("secured.war");
    }

    private static List<String> libraries() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile war = new ZipFile(legacyWar().toFile())) {
            war.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                    .forEach(n -> names.add(n.substring("WEB-INF/lib/".length())));
        }
        return names;
    }

    @Test
    void whenWarPackagedThenFilterCoreAndItsRuntimeDependenciesAreInWebInfLib() throws IOException {
        List<String> libraries = libraries();
        for (String prefix : List.of("jwtgate-filter-core-", "jose4j-", "jedis-", "commons-pool2-", "slf4j-api-")) {
            assertTrue(libraries.stream().anyMatch(n -> n.startsWith(prefix)), prefix + " missing from " + libraries);
        }
    }

    /** operations.md's list of what a plain dependency puts in {@code WEB-INF/lib} is the packaged WAR's, no more, no less. */
    @Test
    void whenWarPackagedThenWebInfLibHoldsExactlyTheJarsTheDocsList() throws IOException {
        String row = Files.readAllLines(Path.of("..", "docs", "operations.md")).stream()
                .dropWhile(line -> !line.startsWith("| in `WEB-INF/lib` |")).skip(2).findFirst().orElseThrow();
        TreeSet<String> documented = new TreeSet<>();
        Matcher name = Pattern.compile("`([^`]+)`").matcher(row.substring(0, row.indexOf(" | ", 2)));
        while (name.find()) {
            documented.add(name.group(1));
        }
        TreeSet<String> packaged = new TreeSet<>();
        for (String library : libraries()) {
            packaged.add(library.replaceFirst("-\\d[^/]*\\.jar$", "")); // artifact-1.2.3.jar → artifact
        }
        assertEquals(documented, packaged, "docs/operations.md's WEB-INF/lib row against legacy.war's WEB-INF/lib");
    }

    @Test
    void whenWarPackagedThenNoServletApiNoCdiAndNoLoggingBindingInWebInfLib() throws IOException {
        for (String library : libraries()) {
            for (String forbidden : List.of("servlet-api", "jakarta.servlet", "cdi-api", "slf4j-simple", "slf4j-nop",
                    "slf4j-reload4j", "slf4j-jdk14", "logback", "log4j-slf4j", "jul-to-slf4j")) {
                assertFalse(library.contains(forbidden), "WEB-INF/lib/" + library + " must not be packaged");
            }
        }
    }

    @Test
    void whenFilterCoreJarInspectedThenNoServletClassesAndNoSlf4jBinding() throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipFile war = new ZipFile(legacyWar().toFile())) {
            ZipEntry core = war.stream().filter(e -> e.getName().matches("WEB-INF/lib/jwtgate-filter-core-[^/]*\\.jar"))
                    .findFirst().orElseThrow();
            try (InputStream in = war.getInputStream(core); JarInputStream jar = new JarInputStream(in)) {
                for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                    entries.add(entry.getName());
                }
            }
        }
        assertTrue(entries.contains("org/jwtgate/filter/JwtAuthFilter.class"), "not the filter-core jar: " + entries);
        for (String entry : entries) {
            assertFalse(entry.startsWith("jakarta/") || entry.startsWith("javax/servlet/"), entry);
            assertFalse(entry.startsWith("org/slf4j/"), "SLF4J (API or binding) bundled: " + entry);
            assertFalse(entry.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"), entry);
            assertFalse(entry.startsWith("simplelogger") || entry.startsWith("logback"), entry);
        }
    }

    @Test
    void whenWarPackagedThenItsWebXmlKeepsTheSecretOutOfTheWar() throws IOException {
        try (ZipFile war = new ZipFile(legacyWar().toFile())) {
            String webXml = new String(war.getInputStream(war.getEntry("WEB-INF/web.xml")).readAllBytes());
            assertTrue(webXml.contains("<param-value>${env:APP_JWT_SECRET}</param-value>"), webXml);
            assertEquals(1, webXml.split("org.jwtgate.filter.JwtAuthFilter", -1).length - 1);
        }
        assertTrue(Files.size(legacyWar()) > 0);
    }

    @Test
    void whenSecuredWarPackagedThenTheModuleAndFilterCoreAreInWebInfLibAndNoContainerApi() throws IOException {
        List<String> libraries = new ArrayList<>();
        try (ZipFile war = new ZipFile(securedWar().toFile())) {
            war.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                    .forEach(n -> libraries.add(n.substring("WEB-INF/lib/".length())));
            String webXml = new String(war.getInputStream(war.getEntry("WEB-INF/web.xml")).readAllBytes());
            assertFalse(webXml.contains("org.jwtgate.filter.JwtAuthFilter"), "the container enforces this application's security");
            assertTrue(webXml.contains("<param-name>jwtgate.authentication</param-name>"), webXml);
            assertTrue(webXml.contains("<param-value>${env:APP_JWT_SECRET}</param-value>"), webXml);
        }
        for (String prefix : List.of("jwtgate-authentication-", "jwtgate-filter-core-", "jose4j-", "jedis-")) {
            assertTrue(libraries.stream().anyMatch(n -> n.startsWith(prefix)), prefix + " missing from " + libraries);
        }
        for (String library : libraries) {
            for (String forbidden : List.of("authentication-api", "jaspic", "servlet-api", "slf4j-simple", "logback")) {
                assertFalse(library.contains(forbidden), "WEB-INF/lib/" + library + " must not be packaged");
            }
        }
        assertFalse(libraries().stream().anyMatch(n -> n.startsWith("jwtgate-authentication-")),
                "legacy.war, protected by the filter, carries no module");
    }
}
