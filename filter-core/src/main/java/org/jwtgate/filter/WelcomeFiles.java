package org.jwtgate.filter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jwtgate.internal.log.Log;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The files a directory URL ({@code /reports/}) may be served: the application's welcome files under it, and who
 * serves it. Tomcat maps such a request to that file before filters run, so its path rules apply;
 * Jetty's default servlet serves the file by a forward, which the filter's recommended mapping does not see: the
 * file's exact and extension rules ({@code /reports/index.html=analyst}, {@code *.html=admin}) must be asked for the
 * directory URL too.
 *
 * <p>The welcome files are those of {@code WEB-INF/web.xml}, else the containers' default list (Tomcat's
 * {@code conf/web.xml}, Jetty's {@code webdefault}): {@code index.html}, {@code index.htm}, {@code index.jsp}. A list
 * set through a container's own API (embedded Jetty's {@code setWelcomeFiles}) or added by a {@code web-fragment.xml}
 * is not seen; mapping the filter for {@code FORWARD} covers those.
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

    /** Who serves a directory URL, as far as a welcome file goes. */
    enum Server {
        /**
         * A servlet of the application's on a path of its own ({@code /reports/*}, an exact path, the context root
         * {@code ""}): it serves the URL itself.
         */
        APPLICATION,
        /**
         * Whatever is on {@code /}: a container's file servlet reading the application's files, or the application's
         * servlet, which may hand the request to it (Spring's default-servlet handling, a named dispatch no filter
         * sees). The welcome file is looked up among the application's files.
         */
        APPLICATION_FILES,
        /**
         * A container's file servlet that finds its welcome file its own way: on a prefix ({@code /docs/*}, whose
         * {@code pathInfoOnly} decides where it reads), with its own base ({@code baseResource}), or forwarding to a
         * servlet mapped to a welcome file whether a file exists or not ({@code welcomeServlets}). Which welcome file
         * it finds is not looked up: every candidate's rule applies.
         */
        OWN_FILES
    }

    /** The containers' file servlets (and their subclasses), which serve a directory URL its welcome file. */
    private static final Set<String> FILE_SERVLETS = Set.of("org.apache.catalina.servlets.DefaultServlet",
            "org.eclipse.jetty.ee10.servlet.DefaultServlet", "org.eclipse.jetty.ee10.servlet.ResourceServlet",
            "org.eclipse.jetty.ee11.servlet.DefaultServlet", "org.eclipse.jetty.ee11.servlet.ResourceServlet");
    /** Jetty's file servlets' init-params naming a base of their own, not the context's. */
    private static final List<String> OWN_BASE_PARAMS = List.of("baseResource", "resourceBase");
    /** The prefix of the context init-params Jetty's file servlets read before their own init-params. */
    private static final String JETTY_CONTEXT_PARAM_PREFIX = "org.eclipse.jetty.servlet.Default.";

    /** What a servlet is, as far as welcome files go. */
    private record Servlet(boolean servesFiles, boolean findsItsOwnWay) {
    }

    /** By servlet name. The application's servlets are few, and registered before it serves. */
    private final Map<String, Servlet> servlets = new ConcurrentHashMap<>();
    /** Whether any of them is a file servlet finding its welcome file its own way; null until asked. */
    private volatile Boolean anyOwnWay;

    /**
     * Who serves {@code request}, by the servlet its mapping names (an include's, not the including page's); a request
     * without one (a test double) is taken as {@link Server#APPLICATION_FILES}.
     */
    Server serverOf(HttpServletRequest request) {
        HttpServletMapping mapping = mappingOf(request);
        if (context == null || mapping == null || mapping.getServletName() == null) {
            return Server.APPLICATION_FILES;
        }
        Servlet servlet = servlets.computeIfAbsent(mapping.getServletName(), this::describe);
        boolean atRoot = mapping.getMappingMatch() == null || mapping.getMappingMatch() == MappingMatch.DEFAULT;
        if (servlet.servesFiles()) {
            return atRoot && !servlet.findsItsOwnWay() ? Server.APPLICATION_FILES : Server.OWN_FILES;
        }
        if (!atRoot) {
            return Server.APPLICATION;
        }
        // It may hand the request to a file servlet by name (Spring's default-servlet handling, "default" or another).
        return anyFileServletFindsItsOwnWay() ? Server.OWN_FILES : Server.APPLICATION_FILES;
    }

    /** Whether a file servlet of the application finds its welcome file its own way; asked once. */
    private boolean anyFileServletFindsItsOwnWay() {
        Boolean known = anyOwnWay;
        if (known == null) {
            try {
                known = context.getServletRegistrations().keySet().stream()
                        .map(name -> servlets.computeIfAbsent(name, this::describe))
                        .anyMatch(servlet -> servlet.servesFiles() && servlet.findsItsOwnWay());
            } catch (RuntimeException e) {
                known = true; // cannot be told: asks every candidate's rule
            }
            anyOwnWay = known;
        }
        return known;
    }

    /** The mapping of the resource the request is for: on an include, the included one's (Servlet 9.3.1). */
    private static HttpServletMapping mappingOf(HttpServletRequest request) {
        if (request.getDispatcherType() == DispatcherType.INCLUDE
                && request.getAttribute(RequestDispatcher.INCLUDE_MAPPING) instanceof HttpServletMapping included) {
            return included;
        }
        return request.getHttpServletMapping();
    }

    /** Whether the servlet registered as {@code name} is a file servlet, and one finding its welcome file its own way. */
    private Servlet describe(String name) {
        ServletRegistration registration;
        try {
            registration = context.getServletRegistration(name);
        } catch (RuntimeException e) {
            return new Servlet(true, true); // cannot be told: asks every candidate's rule
        }
        if (registration == null) {
            return new Servlet(true, true); // none (a wrapper's mapping names none): asks the most
        }
        if (!isFileServlet(name, registration.getClassName())) {
            return new Servlet(false, false);
        }
        String welcomeServlets = jettySetting(registration, "welcomeServlets");
        boolean ownWay = OWN_BASE_PARAMS.stream().anyMatch(param -> jettySetting(registration, param) != null)
                || welcomeServlets != null && !welcomeServlets.strip().equalsIgnoreCase("false");
        return new Servlet(true, ownWay);
    }

    /** A Jetty file servlet's setting as it reads it: the context's {@code org.eclipse.jetty.servlet.Default.*} first. */
    private String jettySetting(ServletRegistration registration, String name) {
        String fromContext = context.getInitParameter(JETTY_CONTEXT_PARAM_PREFIX + name);
        return fromContext != null ? fromContext : registration.getInitParameter(name);
    }

    /** Whether {@code className} is a container's file servlet or a subclass; one that cannot be loaded here is taken for one. */
    private boolean isFileServlet(String name, String className) {
        if (className == null || FILE_SERVLETS.contains(className)) {
            return true;
        }
        try {
            // The application's loader (an embedded context may have none: then the thread's, the request's).
            ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader()
                    : Thread.currentThread().getContextClassLoader();
            for (Class<?> type = Class.forName(className, false, loader); type != null; type = type.getSuperclass()) {
                if (FILE_SERVLETS.contains(type.getName())) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // Jetty hides its own classes from the application's loader: taken for a file servlet, which asks more.
            LOG.debug("Servlet [{}] ({}) taken for a file servlet: {}", name, className, e.toString());
            return true;
        }
    }

    /**
     * The welcome files a directory URL may be served, in the order the container tries them; none for another path.
     * The container serves one that {@link #exists}, usually the first.
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

    /**
     * Whether the application holds {@code file} (a file, a directory or a link of that name: the container may pass
     * over it, and then serve a later welcome file, whose rule is asked too).
     */
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
