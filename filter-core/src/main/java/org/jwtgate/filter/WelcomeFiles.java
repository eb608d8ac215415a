package org.jwtgate.filter;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jwtgate.internal.log.Log;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The file a directory URL ({@code /reports/}) is served: the first of the application's welcome files that exists
 * under it. Tomcat maps such a request to that file before filters run, so its path rules apply; Jetty's default
 * servlet serves the file itself, and the filter sees only {@code /reports/}: the file's exact and extension rules
 * ({@code /reports/index.html=analyst}, {@code *.html=admin}) must be asked for the directory URL too.
 *
 * <p>The welcome files are those of {@code WEB-INF/web.xml}, else the containers' default list (Tomcat's
 * {@code conf/web.xml}, Jetty's {@code webdefault}): {@code index.html}, {@code index.htm}, {@code index.jsp}. A list
 * set through a container's own API (embedded Jetty's {@code setWelcomeFiles}) is not seen.
 */
final class WelcomeFiles {

    private static final Log LOG = Log.of(WelcomeFiles.class);
    private static final List<String> CONTAINER_DEFAULT = List.of("index.html", "index.htm", "index.jsp");

    private final ServletContext context;
    private final List<String> names;

    private WelcomeFiles(ServletContext context, List<String> names) {
        this.context = context;
        this.names = names;
    }

    /** The application's welcome files; none for a filter without a servlet context (a test's). */
    static WelcomeFiles of(ServletContext context) {
        if (context == null) {
            return new WelcomeFiles(null, List.of());
        }
        List<String> declared = declaredIn(context);
        return new WelcomeFiles(context, declared.isEmpty() ? CONTAINER_DEFAULT : declared);
    }

    /**
     * Whether the request goes to the default servlet ({@code /}), the one that serves a directory's welcome file: a
     * servlet mapped to the directory ({@code /reports/*}) serves {@code /reports/} itself, on Tomcat as on Jetty. A
     * request without a mapping (a test double) is taken for the default servlet's, which asks more.
     */
    static boolean servedByDefaultServlet(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping == null || mapping.getMappingMatch() == null || mapping.getMappingMatch() == MappingMatch.DEFAULT;
    }

    /**
     * The welcome files a directory URL may be served, in the order the container tries them; none for another path.
     * The container serves the first that {@link #exists}.
     */
    List<String> candidatesFor(String path) {
        if (context == null || !path.endsWith("/")) {
            return List.of();
        }
        List<String> files = new ArrayList<>(names.size());
        for (String name : names) {
            files.add(path + name);
        }
        return files;
    }

    /** Whether the application holds {@code file} (a static file or a JSP), as the container looks a welcome file up. */
    boolean exists(String file) {
        try {
            return context != null && context.getResource(file) != null;
        } catch (MalformedURLException | RuntimeException e) {
            return false; // a path the container cannot look up is served no welcome file of it either
        }
    }

    /** The {@code welcome-file} entries of {@code WEB-INF/web.xml}, in order; empty when it has none or cannot be read. */
    private static List<String> declaredIn(ServletContext context) {
        try (InputStream webXml = context.getResourceAsStream("/WEB-INF/web.xml")) {
            if (webXml == null) {
                return List.of();
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // Read as the container read it, but nothing fetched or expanded: an old web.xml names its DTD by URL.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setExpandEntityReferences(false);
            NodeList files = factory.newDocumentBuilder().parse(webXml).getElementsByTagNameNS("*", "welcome-file");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < files.getLength(); i++) {
                String name = files.item(i).getTextContent().strip();
                // A leading slash is the container's to take or not; a welcome file is looked up under the directory.
                name = name.startsWith("/") ? name.substring(1) : name;
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return List.copyOf(names);
        } catch (IOException | ParserConfigurationException | SAXException | RuntimeException e) {
            LOG.debug("WEB-INF/web.xml not read for its welcome files ({}); the containers' default list applies",
                    e.toString());
            return List.of();
        }
    }
}
