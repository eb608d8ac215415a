package org.jwtgate.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the JwtGate filters and their init-params out of a web.xml with the JDK's parser,
 * hardened against XXE: a DOCTYPE is refused outright (a Jakarta web.xml never needs one),
 * so no entity, external DTD or XInclude can be read.
 */
final class WebXmlFilters {

    /** As the filter's bound on config.file: a web.xml is kilobytes, and the parser would hold a huge one whole. */
    static final int MAX_BYTES = 1 << 20;
    /** Deeper than any web.xml (web-app, filter, init-param, param-value: four), shallow enough for any stack. */
    static final int MAX_DEPTH = 64;
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
        for (Element filter : children(document.getDocumentElement(), "filter")) {
            String name = text(filter, "filter-name");
            String filterClass = text(filter, "filter-class");
            boolean wanted = filterName != null ? filterName.equals(name) : FILTER_CLASS.equals(filterClass);
            if (wanted) {
                matches.add(new FilterDeclaration(name, filterClass, initParams(webXml, name, filter)));
            }
        }
        if (matches.isEmpty()) {
            throw CliException.usage(filterName != null
                    ? "No <filter> named " + Printable.argument(filterName) + " in [" + webXml + "]"
                    : "No <filter> with <filter-class>" + FILTER_CLASS + "</filter-class> in [" + webXml
                    + "]; use --filter NAME for a subclass");
        }
        return matches;
    }

    /** A secured parse: no DOCTYPE, no external anything, secure processing limits on. */
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
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
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
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // errors are thrown, never printed by the parser
            return builder.parse(new ByteArrayInputStream(bytes), webXml.toUri().toString());
        } catch (SAXParseException e) {
            String message = e.getMessage() != null ? e.getMessage() : "";
            String reason = message.contains("DOCTYPE")
                    ? "a DOCTYPE is not allowed (a Jakarta web.xml needs none; refused to rule out XXE)"
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
            String name = text(param, "param-name");
            String value = text(param, "param-value");
            if (name == null || name.isEmpty()) {
                throw CliException.usage("An <init-param> of filter [" + filterName + "] in [" + webXml
                        + "] has no <param-name>");
            }
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

    /** The trimmed text of the first child element named {@code localName}, or null. */
    private static String text(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }
}
