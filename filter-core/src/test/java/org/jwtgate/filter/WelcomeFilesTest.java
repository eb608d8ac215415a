package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import java.io.ByteArrayInputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WelcomeFilesTest {

    private static ServletContext withWebXml(String webXml) {
        ServletContext context = mock(ServletContext.class);
        when(context.getResourceAsStream("/WEB-INF/web.xml"))
                .thenReturn(webXml == null ? null : new ByteArrayInputStream(webXml.getBytes(StandardCharsets.UTF_8)));
        return context;
    }

    @Test
    void whenTheApplicationHasNoWebXmlThenTheContainersDefaultListApplies() {
        assertEquals(List.of("/docs/index.html", "/docs/index.htm", "/docs/index.jsp"),
                WelcomeFiles.of(withWebXml(null)).candidatesFor("/docs/"));
    }

    @Test
    void whenWebXmlListsWelcomeFilesThenTheyReplaceTheDefaultInTheirOrder() {
        String webXml = """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <!-- <welcome-file>commented.html</welcome-file> -->
                  <welcome-file-list>
                    <welcome-file> home.html </welcome-file>
                    <welcome-file>/start.jsp</welcome-file>
                    <welcome-file>  </welcome-file>
                  </welcome-file-list>
                </web-app>
                """;
        assertEquals(List.of("/a/home.html", "/a/start.jsp"), WelcomeFiles.of(withWebXml(webXml)).candidatesFor("/a/"));
    }

    @Test
    void whenWebXmlHasNoListOrCannotBeReadThenTheDefaultApplies() {
        List<String> defaults = List.of("/index.html", "/index.htm", "/index.jsp");
        assertEquals(defaults, WelcomeFiles.of(withWebXml("<web-app/>")).candidatesFor("/"));
        assertEquals(defaults, WelcomeFiles.of(withWebXml("<web-app><welcome-file-list>")).candidatesFor("/"));
        // An entity that would read a local file is not expanded (nothing is fetched or read for a web.xml).
        String external = """
                <?xml version="1.0"?>
                <!DOCTYPE web-app [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
                <web-app><welcome-file-list><welcome-file>&secret;</welcome-file></welcome-file-list></web-app>
                """;
        assertEquals(defaults, WelcomeFiles.of(withWebXml(external)).candidatesFor("/"));
    }

    @Test
    void whenThePathIsNoDirectoryUrlOrThereIsNoContextThenThereIsNoCandidate() {
        assertEquals(List.of(), WelcomeFiles.of(withWebXml(null)).candidatesFor("/docs"));
        assertEquals(List.of(), WelcomeFiles.of(null).candidatesFor("/docs/"));
        assertFalse(WelcomeFiles.of(null).exists("/docs/index.html"));
    }

    @Test
    void whenTheContainerFindsTheFileThenItExistsAndALookupItRefusesDoesNot() throws Exception {
        ServletContext context = withWebXml(null);
        when(context.getResource("/docs/index.html")).thenReturn(URI.create("file:///srv/docs/index.html").toURL());
        when(context.getResource("/bad/index.html")).thenThrow(new MalformedURLException("no"));
        WelcomeFiles files = WelcomeFiles.of(context);
        assertTrue(files.exists("/docs/index.html"));
        assertFalse(files.exists("/docs/index.htm"));
        assertFalse(files.exists("/bad/index.html"));
    }
}
