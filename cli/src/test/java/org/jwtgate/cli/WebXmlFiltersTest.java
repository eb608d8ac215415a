package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebXmlFiltersTest {

    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("web.xml"), content);
    }

    @Test
    void whenJakartaNamespaceThenInitParamsReadInOrder() throws IOException {
        Path file = write("""
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee">
                  <filter>
                    <filter-name>jwtgate</filter-name>
                    <filter-class> org.jwtgate.filter.JwtAuthFilter </filter-class>
                    <init-param><param-name>jwt.issuer</param-name><param-value>
                        https://issuer.example
                    </param-value></init-param>
                    <init-param><param-name>paths.exclude</param-name><param-value>/public/*</param-value></init-param>
                  </filter>
                </web-app>
                """);
        List<WebXmlFilters.FilterDeclaration> filters = WebXmlFilters.read(file, null);
        assertEquals(1, filters.size());
        assertEquals("jwtgate", filters.get(0).name());
        assertEquals(List.of("jwt.issuer", "paths.exclude"), List.copyOf(filters.get(0).initParams().keySet()));
        assertEquals("https://issuer.example", filters.get(0).initParams().get("jwt.issuer"));
    }

    @Test
    void whenNoNamespaceThenStillRead() throws IOException {
        Path file = write("<web-app><filter><filter-name>f</filter-name><filter-class>org.jwtgate.filter.JwtAuthFilter"
                + "</filter-class></filter></web-app>");
        assertEquals(Map.of(), WebXmlFilters.read(file, null).get(0).initParams());
    }

    @Test
    void whenFilterNameGivenThenSubclassIsSelected() throws IOException {
        Path file = write("<web-app><filter><filter-name>mine</filter-name><filter-class>com.example.MyJwtFilter"
                + "</filter-class><init-param><param-name>realm</param-name><param-value>x</param-value></init-param>"
                + "</filter></web-app>");
        assertEquals("x", WebXmlFilters.read(file, "mine").get(0).initParams().get("realm"));
        CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
        assertTrue(e.getMessage().contains("--filter NAME"), e.getMessage());
    }

    @Test
    void whenTheWebXmlHoldsOnlyTheModulesContextParamsThenTheRefusalSaysToCheckThemAsAFile() throws IOException {
        // A WAR using the Jakarta Authentication module: "use --filter NAME for a subclass" pointed nowhere.
        Path file = write("<web-app><context-param><param-name>jwtgate.authentication</param-name>"
                + "<param-value>enabled</param-value></context-param></web-app>");
        CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("Jakarta Authentication module's") && e.getMessage().contains("properties file")
                && !e.getMessage().contains("--filter"), e.getMessage());
    }

    @Test
    void whenExternalEntityThenRefusedAndFileNeverRead() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        Path file = write("<?xml version=\"1.0\"?>\n<!DOCTYPE web-app [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<web-app><filter><filter-name>f</filter-name><filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>"
                + "<init-param><param-name>jwt.issuer</param-name><param-value>&xxe;</param-value></init-param>"
                + "</filter></web-app>");
        CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("a DOCTYPE that declares entities (an internal subset) is not allowed"),
                e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET-CONTENT"));
    }

    @Test
    void whenALegacyWebXmlNamesItsDtdThenItIsReadAndTheDtdIsNeverFetched() throws IOException {
        // Servlet 2.3's DOCTYPE, which Tomcat 11 and Jetty 12 still deploy: before, "a DOCTYPE is not allowed" (exit 2).
        // Its DTD's URL points at a port nothing listens on here: a fetch would fail the parse.
        Path file = write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE web-app PUBLIC \"-//Sun Microsystems,"
                + " Inc.//DTD Web Application 2.3//EN\" \"http://127.0.0.1:9/dtd/web-app_2_3.dtd\">\n"
                + "<web-app><filter><filter-name>jwt</filter-name><filter-class>org.jwtgate.filter.JwtAuthFilter"
                + "</filter-class><init-param><param-name>jwt.issuer</param-name><param-value>https://legacy"
                + "</param-value></init-param></filter></web-app>");
        assertEquals("https://legacy", WebXmlFilters.read(file, null).get(0).initParams().get("jwt.issuer"));
    }

    @Test
    void whenEntityExpansionBombThenRefused() throws IOException {
        // A JwtGate filter inside, so that a parser expanding the entities would find it and the test would fail.
        StringBuilder entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            entities.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        Path file = write("<?xml version=\"1.0\"?><!DOCTYPE web-app [" + entities + "]>"
                + "<web-app><filter><filter-name>f</filter-name><filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>"
                + "<init-param><param-name>jwt.issuer</param-name><param-value>&lol9;</param-value></init-param>"
                + "</filter></web-app>");
        CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("a DOCTYPE that declares entities (an internal subset) is not allowed"),
                e.getMessage());
    }

    @Test
    void whenElementsAreNestedTooDeepThenRefusedWithExit2NotAStackOverflow() throws IOException {
        // Before: 20,000 levels inside <filter-name> (140 KB, under the size cap) overflowed getTextContent()'s stack.
        int depth = 20_000;
        Path file = write("<web-app><filter><filter-name>" + "<a>".repeat(depth) + "f" + "</a>".repeat(depth)
                + "</filter-name><filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class></filter></web-app>");
        CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("nested deeper than " + WebXmlFilters.MAX_DEPTH + " levels"), e.getMessage());
    }

    @Test
    void whenNotWellFormedThenLineNumberGiven() throws IOException {
        Path file = write("<web-app>\n<filter>\n</web-app>");
        CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("not well-formed"), e.getMessage());
    }

    @Test
    void whenInitParamDeclaredTwiceThenRefused() throws IOException {
        Path file = write("<web-app><filter><filter-name>f</filter-name><filter-class>org.jwtgate.filter.JwtAuthFilter"
                + "</filter-class><init-param><param-name>realm</param-name><param-value>a</param-value></init-param>"
                + "<init-param><param-name>realm</param-name><param-value>b</param-value></init-param></filter></web-app>");
        CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
        assertTrue(e.getMessage().contains("[realm]") && e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void whenAnElementTheSchemaWantsOnceIsGivenTwiceOrHoldsMarkupThenRefusedNeverQuotingTheValue() throws IOException {
        // Tomcat keeps the last of two <param-value>s (and refuses two filters of one name): check-config read the
        // first and called valid a file whose filter then ran with the other value.
        String filter = "<filter-name>f</filter-name><filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>";
        Map<String, String> refusals = Map.of(
                "<filter>" + filter + "<init-param><param-name>jwt.secret</param-name><param-value>first-secret-value"
                        + "</param-value><param-value>second-secret-value</param-value></init-param></filter>",
                "Init-param [jwt.secret] of filter [f] has 2 <param-value> elements in [",
                "<filter>" + filter + "<init-param><param-name>jwt.secret</param-name><param-value>first-secret-value"
                        + "<secret-value/>second-secret-value</param-value></init-param></filter>",
                "Init-param [jwt.secret] of filter [f]: its <param-value> holds markup (an element) in [",
                "<filter>" + filter + "</filter><filter><filter-name>f</filter-name><filter-class>x.Other</filter-class></filter>",
                "Filter [f] is declared twice in [",
                "<filter><filter-name>f</filter-name><filter-name>g</filter-name></filter>",
                "A <filter> has 2 <filter-name> elements in [",
                "<filter>" + filter + "<init-param><param-name>realm</param-name><param-name>x</param-name></init-param></filter>",
                "An <init-param> of filter [f] has 2 <param-name> elements in [");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Path file = write("<web-app>" + refusal.getKey() + "</web-app>");
            CliException e = assertThrows(CliException.class, () -> WebXmlFilters.read(file, null), refusal.getKey());
            assertTrue(e.getMessage().startsWith(refusal.getValue()), e.getMessage());
            assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
        }
        // A comment inside a value is no markup: its text around it is the value, as a container reads it.
        Path commented = write("<web-app><filter>" + filter + "<init-param><param-name>realm</param-name><param-value>"
                + "a<!-- note -->b</param-value></init-param></filter></web-app>");
        assertEquals("ab", WebXmlFilters.read(commented, null).get(0).initParams().get("realm"));
    }

    @Test
    void whenNoJwtGateFilterThenRefused() throws IOException {
        Path file = write("<web-app/>");
        assertThrows(CliException.class, () -> WebXmlFilters.read(file, null));
    }
}
