package org.jwtgate.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.DocumentType;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the JwtGate filters and their init-params out of a web.xml with the JDK's parser,
 * hardened against XXE: a legacy DOCTYPE naming its DTD ({@code web-app_2_3.dtd}) is taken, the DTD
 * never fetched; one declaring anything itself (an internal subset: entities) is refused, and no
 * external entity, DTD or XInclude is read.
 */
final class WebXmlFilters {

    /** As the filter's bound on config.file: a web.xml is kilobytes, and the parser would hold a huge one whole. */
    static final int MAX_BYTES = 1 << 20;
    /** Deeper than any web.xml (web-app, filter, init-param, param-value: four), shallow enough for any stack. */
    static final int MAX_DEPTH = 64;
    /** Why a DOCTYPE declaring entities (its internal subset) is refused. */
    private static final String DECLARATIONS_REFUSED = "a DOCTYPE that declares entities (an internal subset) is not"
            + " allowed (a web.xml needs none; refused to rule out XXE)";
    /** The JDK parser's bound on entity expansions ({@code jdk.xml.entityExpansionLimit}). */
    private static final String MAX_ENTITY_EXPANSIONS = "http://www.oracle.com/xml/jaxp/properties/entityExpansionLimit";
    /** The JDK parser's bound on element nesting (JAXP 1.5, {@code jdk.xml.maxElementDepth}). */
    private static final String MAX_ELEMENT_DEPTH = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

    /** The class the container instantiates; a subclass can be picked with {@code --filter NAME}. */
    static final String FILTER_CLASS = "org.jwtgate.filter.JwtAuthFilter";

    /** One {@code <filter>} of the descriptor. */
    record FilterDeclaration(String name, String filterClass, Map<String, String> initParams) {
    }

    private WebXmlFilters() {
    }

    /**
     * The filters named {@code filterName}, or when it is null every filter of class
     * {@link #FILTER_CLASS}, in document order.
     *
     * @throws CliException (exit 2) when the file cannot be read or parsed, or no filter matches
     */
    static List<FilterDeclaration> read(Path webXml, String filterName) {
        Document document = parse(webXml);
        List<FilterDeclaration> matches = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Element filter : children(document.getDocumentElement(), "filter")) {
            String name = text(webXml, "A <filter>", filter, "filter-name");
            if (name != null && !names.add(name)) {
                // The schema wants each name once; Tomcat refuses to deploy such a file.
                throw CliException.usage("Filter [" + name + "] is declared twice in [" + webXml + "]");
            }
            String filterClass = text(webXml, "Filter [" + name + "]", filter, "filter-class");
            boolean wanted = filterName != null ? filterName.equals(name) : FILTER_CLASS.equals(filterClass);
            if (wanted) {
                matches.add(new FilterDeclaration(name, filterClass, initParams(webXml, name, filter)));
            }
        }
        if (matches.isEmpty()) {
            throw CliException.usage(filterName != null
                    ? "No <filter> named " + Printable.argument(filterName) + " in [" + webXml + "]"
                    : "No <filter> with <filter-class>" + FILTER_CLASS + "</filter-class> in [" + webXml
                    + "]; " + (declaresModuleSettings(document)
                            ? "its jwtgate.* context-params are the Jakarta Authentication module's: write them"
                            + " without the jwtgate. prefix into a properties file and check that file"
                            + " (docs/operations.md, \"The admin CLI\")"
                            : "use --filter NAME for a subclass"));
        }
        return matches;
    }

    /** Whether a context-param is named {@code jwtgate.*}: the module's settings, which check-config reads as a file. */
    private static boolean declaresModuleSettings(Document document) {
        for (Element param : children(document.getDocumentElement(), "context-param")) {
            for (Element name : children(param, "param-name")) {
                if (name.getTextContent().strip().startsWith("jwtgate.")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A secured parse: no internal DTD subset, no external anything, secure processing limits on. */
    private static Document parse(Path webXml) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(webXml)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw CliException.usage("Cannot read [" + webXml + "]: " + e.getClass().getSimpleName());
        }
        if (bytes.length > MAX_BYTES) {
            throw CliException.usage("Cannot read [" + webXml + "]: it is larger than 1 MiB (" + MAX_BYTES
                    + " bytes), the limit for a web.xml");
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // A Servlet 2.2/2.3 web.xml, which Tomcat 11 and Jetty 12 still deploy, starts with a DOCTYPE.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // A web.xml is a few levels deep; without a bound, 12,000 nested elements (84 KB) overflow the stack
            // of getTextContent(), a StackOverflowError instead of one line and exit 2.
            factory.setAttribute(MAX_ELEMENT_DEPTH, Integer.toString(MAX_DEPTH));
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            // The secure-processing limits also bound the expansion of entities a DOCTYPE declares (64,000).
            factory.setAttribute(MAX_ENTITY_EXPANSIONS, "100");
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // errors are thrown, never printed by the parser
            // Nothing external is resolved above; should a parser try all the same, it reads nothing.
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            Document document = builder.parse(new ByteArrayInputStream(bytes), webXml.toUri().toString());
            DocumentType doctype = document.getDoctype();
            if (doctype != null && doctype.getInternalSubset() != null && !doctype.getInternalSubset().isBlank()) {
                throw CliException.usage("Cannot parse [" + webXml + "]: " + DECLARATIONS_REFUSED);
            }
            return document;
        } catch (SAXParseException e) {
            String message = e.getMessage() != null ? e.getMessage() : "";
            String reason = message.contains("JAXP00010001") || message.contains("entity expansion")
                    ? DECLARATIONS_REFUSED
                    : message.contains("maxElementDepth") ? "elements nested deeper than " + MAX_DEPTH + " levels"
                    : "not well-formed XML";
            throw CliException.usage("Cannot parse [" + webXml + "] at line " + e.getLineNumber() + ": " + reason);
        } catch (SAXException e) {
            throw CliException.usage("Cannot parse [" + webXml + "]: not well-formed XML");
        } catch (IOException e) {
            throw CliException.usage("Cannot read [" + webXml + "]: " + e.getClass().getSimpleName());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser lacks a hardening feature", e);
        }
    }

    private static Map<String, String> initParams(Path webXml, String filterName, Element filter) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Element param : children(filter, "init-param")) {
            String name = text(webXml, "An <init-param> of filter [" + filterName + "]", param, "param-name");
            if (name == null || name.isEmpty()) {
                throw CliException.usage("An <init-param> of filter [" + filterName + "] in [" + webXml
                        + "] has no <param-name>");
            }
            String value = text(webXml, "Init-param [" + name + "] of filter [" + filterName + "]", param, "param-value");
            if (params.containsKey(name)) {
                throw CliException.usage("Init-param [" + name + "] of filter [" + filterName + "] is declared twice in ["
                        + webXml + "]");
            }
            // No <param-value>: null, as Jetty hands it to init(), which refuses it (read as "" it passed
            // for token.cookie, where empty means no cookie).
            params.put(name, value);
        }
        return params;
    }

    /** Direct children by local name, whatever the namespace (jakartaee, javaee or none). */
    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && localName.equals(localNameOf(element))) {
                found.add(element);
            }
        }
        return found;
    }

    private static String localNameOf(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getTagName();
    }

    /**
     * The trimmed text of the child element named {@code localName}, or null. Two such elements, or markup inside one,
     * are refused (never quoting the text: a value may be a secret): the schema allows neither, and a container reads
     * them otherwise (Tomcat keeps the last of two values, where this read the first and checked that one).
     */
    private static String text(Path webXml, String where, Element parent, String localName) {
        List<Element> found = children(parent, localName);
        if (found.size() > 1) {
            throw CliException.usage(where + " has " + found.size() + " <" + localName + "> elements in [" + webXml
                    + "]; keep one");
        }
        if (found.isEmpty()) {
            return null;
        }
        for (Node node = found.get(0).getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element) {
                // Not the element's name: a secret pasted unescaped ("k9!<Zq8/>") would have part of it quoted.
                throw CliException.usage(where + ": its <" + localName + "> holds markup (an element) in [" + webXml
                        + "]; write the text alone, escaping < as &lt;");
            }
        }
        return found.get(0).getTextContent().trim();
    }
}
