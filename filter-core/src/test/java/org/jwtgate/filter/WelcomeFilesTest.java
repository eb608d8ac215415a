package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.List;
import java.util.Map;
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
    void whenTheContainerFindsTheResourceThenItExistsAndALookupItRefusesDoesNot() throws Exception {
        ServletContext context = withWebXml(null);
        when(context.getResource("/docs/index.html")).thenReturn(URI.create("file:///srv/docs/index.html").toURL());
        when(context.getResource("/bad/index.html")).thenThrow(new MalformedURLException("no"));
        WelcomeFiles files = WelcomeFiles.of(context);
        assertTrue(files.exists("/docs/index.html"));
        assertFalse(files.exists("/docs/index.htm"));
        assertFalse(files.exists("/bad/index.html"));
    }

    /** A context whose servlets are registered under these names with these classes (and init-params). */
    private static ServletContext withServlets(Map<String, String> classes, Map<String, String> baseParams) {
        ServletContext context = withWebXml(null);
        when(context.getClassLoader()).thenReturn(WelcomeFilesTest.class.getClassLoader());
        classes.forEach((name, className) -> {
            ServletRegistration registration = mock(ServletRegistration.class);
            when(registration.getClassName()).thenReturn(className);
            when(registration.getInitParameter("baseResource")).thenReturn(baseParams.get(name));
            when(context.getServletRegistration(name)).thenReturn(registration);
        });
        return context;
    }

    private static HttpServletRequest mappedTo(String servletName, MappingMatch match) {
        HttpServletMapping mapping = mock(HttpServletMapping.class);
        when(mapping.getServletName()).thenReturn(servletName);
        when(mapping.getMappingMatch()).thenReturn(match);
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        when(request.getHttpServletMapping()).thenReturn(mapping);
        return request;
    }

    /** A subclass of Jetty's file servlet, as an application may register. */
    static final class OwnDefaultServlet extends org.eclipse.jetty.ee10.servlet.DefaultServlet {
    }

    @Test
    void whenAServletIsAskedThenItsClassAndMappingSayWhoServesTheDirectoryUrl() {
        WelcomeFiles files = WelcomeFiles.of(withServlets(Map.of(
                "default", "org.apache.catalina.servlets.DefaultServlet",
                "jetty", "org.eclipse.jetty.ee10.servlet.DefaultServlet",
                "own-default", OwnDefaultServlet.class.getName(),
                "app", WelcomeFilesTest.class.getName(),
                "hidden", "org.example.NotOnThisClassPath",
                "based", "org.eclipse.jetty.ee10.servlet.DefaultServlet"), Map.of("based", "file:///srv/static/")));
        assertEquals(WelcomeFiles.Server.APPLICATION_FILES, files.serverOf(mappedTo("default", MappingMatch.DEFAULT)));
        assertEquals(WelcomeFiles.Server.APPLICATION_FILES, files.serverOf(mappedTo("jetty", MappingMatch.DEFAULT)));
        assertEquals(WelcomeFiles.Server.OWN_FILES, files.serverOf(mappedTo("jetty", MappingMatch.PATH)));
        assertEquals(WelcomeFiles.Server.OWN_FILES, files.serverOf(mappedTo("own-default", MappingMatch.PATH)),
                "a subclass of a file servlet is one");
        assertEquals(WelcomeFiles.Server.OWN_FILES, files.serverOf(mappedTo("based", MappingMatch.DEFAULT)),
                "a base of its own");
        assertEquals(WelcomeFiles.Server.APPLICATION, files.serverOf(mappedTo("app", MappingMatch.PATH)));
        assertEquals(WelcomeFiles.Server.APPLICATION, files.serverOf(mappedTo("app", MappingMatch.CONTEXT_ROOT)));
        assertEquals(WelcomeFiles.Server.APPLICATION_FILES, files.serverOf(mappedTo("app", MappingMatch.DEFAULT)),
                "on / it may hand the request to the default servlet");
        assertEquals(WelcomeFiles.Server.OWN_FILES, files.serverOf(mappedTo("hidden", MappingMatch.PATH)),
                "a class that cannot be loaded here is taken for a file servlet");
        assertEquals(WelcomeFiles.Server.OWN_FILES, files.serverOf(mappedTo("unregistered", MappingMatch.PATH)),
                "a name no servlet is registered under asks the most");
    }

    @Test
    void whenJettysFileServletFindsItsWelcomeFileItsOwnWayThenEveryCandidatesRuleApplies() {
        // welcomeServlets forwards to a servlet mapped to a welcome file, with or without a file; a base given as the
        // context init-param Jetty reads first: the fourth review's runs, 200 with the protected content.
        ServletContext welcomeServlets = withServlets(Map.of("default", "org.eclipse.jetty.ee10.servlet.DefaultServlet"),
                Map.of());
        when(welcomeServlets.getServletRegistration("default").getInitParameter("welcomeServlets")).thenReturn("exact");
        assertEquals(WelcomeFiles.Server.OWN_FILES,
                WelcomeFiles.of(welcomeServlets).serverOf(mappedTo("default", MappingMatch.DEFAULT)));
        ServletContext contextBase = withServlets(Map.of("default", "org.eclipse.jetty.ee10.servlet.DefaultServlet",
                "dispatcher", WelcomeFilesTest.class.getName()), Map.of());
        doReturn(Map.of("default", contextBase.getServletRegistration("default"),
                "dispatcher", contextBase.getServletRegistration("dispatcher")))
                .when(contextBase).getServletRegistrations();
        when(contextBase.getInitParameter("org.eclipse.jetty.servlet.Default.baseResource")).thenReturn("file:///srv/");
        WelcomeFiles files = WelcomeFiles.of(contextBase);
        assertEquals(WelcomeFiles.Server.OWN_FILES, files.serverOf(mappedTo("default", MappingMatch.DEFAULT)));
        assertEquals(WelcomeFiles.Server.OWN_FILES, files.serverOf(mappedTo("dispatcher", MappingMatch.DEFAULT)),
                "an application's servlet on / may hand the request to that servlet");
        ServletContext off = withServlets(Map.of("default", "org.eclipse.jetty.ee10.servlet.DefaultServlet"), Map.of());
        when(off.getServletRegistration("default").getInitParameter("welcomeServlets")).thenReturn("false");
        assertEquals(WelcomeFiles.Server.APPLICATION_FILES,
                WelcomeFiles.of(off).serverOf(mappedTo("default", MappingMatch.DEFAULT)));
        // An application's servlet on / may hand a request to a file servlet of another name (the sixth review's idea).
        ServletContext otherName = withServlets(Map.of("static", "org.eclipse.jetty.ee10.servlet.DefaultServlet",
                "dispatcher", WelcomeFilesTest.class.getName()), Map.of("static", "file:///srv/static/"));
        doReturn(Map.of("static", otherName.getServletRegistration("static"),
                "dispatcher", otherName.getServletRegistration("dispatcher")))
                .when(otherName).getServletRegistrations();
        assertEquals(WelcomeFiles.Server.OWN_FILES,
                WelcomeFiles.of(otherName).serverOf(mappedTo("dispatcher", MappingMatch.DEFAULT)));
    }

    @Test
    void whenAnIncludeIsAskedThenTheIncludedResourcesMappingDecides() {
        WelcomeFiles files = WelcomeFiles.of(withServlets(Map.of(
                "page", WelcomeFilesTest.class.getName(), "default", "org.apache.catalina.servlets.DefaultServlet"), Map.of()));
        HttpServletRequest include = mappedTo("page", MappingMatch.PATH);
        when(include.getDispatcherType()).thenReturn(DispatcherType.INCLUDE);
        HttpServletMapping included = mock(HttpServletMapping.class);
        when(included.getServletName()).thenReturn("default");
        when(included.getMappingMatch()).thenReturn(MappingMatch.DEFAULT);
        when(include.getAttribute(RequestDispatcher.INCLUDE_MAPPING)).thenReturn(included);
        assertEquals(WelcomeFiles.Server.APPLICATION_FILES, files.serverOf(include),
                "the included /reports/ is the default servlet's, not the including page's servlet's");
    }
}
