package org.jwtgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jwtgate.config.ConfigKeys;

/**
 * The tiny web application the Tomcat WAR benchmark deploys, written as a real WAR: {@link HelloServlet}
 * at {@code /api/hello} (protected) and {@code /public/hello} (listed in {@code paths.exclude}), both behind
 * {@code JwtAuthFilter} mapped to {@code /*} in WEB-INF/web.xml with the given init-params; WEB-INF/lib holds
 * the JwtGate jar under test and the jars it needs (the distribution's lib/webapp), as an administrator
 * installs it.
 */
final class BenchWar {

    static final String PROTECTED = "/api/hello";
    static final String PUBLIC = "/public/hello";
    static final String PUBLIC_PATTERN = "/public/*";
    private static final String FILTER_CLASS = "org.jwtgate.filter.JwtAuthFilter";

    private BenchWar() {
    }

    /**
     * @param filterJar  the jwtgate-filter-core jar to install
     * @param otherJars  what it needs at run time (jose4j, Jedis and theirs); no JwtGate jar among them
     * @param initParams the filter's init-params
     */
    static Path write(Path war, Path filterJar, List<Path> otherJars, Map<String, String> initParams) throws IOException {
        Files.createDirectories(war.getParent());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
            put(zip, "WEB-INF/web.xml", webXml(initParams).getBytes(StandardCharsets.UTF_8));
            String servlet = HelloServlet.class.getName().replace('.', '/') + ".class";
            try (InputStream in = HelloServlet.class.getClassLoader().getResourceAsStream(servlet)) {
                if (in == null) {
                    throw new IllegalStateException("no " + servlet + " on the class path");
                }
                put(zip, "WEB-INF/classes/" + servlet, in.readAllBytes());
            }
            put(zip, "WEB-INF/lib/" + filterJar.getFileName(), Files.readAllBytes(filterJar));
            for (Path jar : otherJars) {
                put(zip, "WEB-INF/lib/" + jar.getFileName(), Files.readAllBytes(jar));
            }
        }
        return war;
    }

    static String webXml(Map<String, String> initParams) {
        Map<String, String> params = new java.util.LinkedHashMap<>(initParams);
        params.putIfAbsent(ConfigKeys.PATHS_EXCLUDE, PUBLIC_PATTERN);
        StringBuilder xml = new StringBuilder();
        xml.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                         version="6.0" metadata-complete="true">
                  <filter>
                    <filter-name>jwtgate</filter-name>
                """);
        xml.append("    <filter-class>").append(FILTER_CLASS).append("</filter-class>\n");
        params.forEach((name, value) -> xml.append("    <init-param><param-name>").append(escape(name))
                .append("</param-name><param-value>").append(escape(value)).append("</param-value></init-param>\n"));
        xml.append("""
                  </filter>
                  <filter-mapping>
                    <filter-name>jwtgate</filter-name>
                    <url-pattern>/*</url-pattern>
                  </filter-mapping>
                  <servlet>
                    <servlet-name>hello</servlet-name>
                """);
        xml.append("    <servlet-class>").append(HelloServlet.class.getName()).append("</servlet-class>\n");
        xml.append("    <load-on-startup>1</load-on-startup>\n  </servlet>\n");
        xml.append("  <servlet-mapping>\n    <servlet-name>hello</servlet-name>\n");
        xml.append("    <url-pattern>").append(PROTECTED).append("</url-pattern>\n");
        xml.append("    <url-pattern>").append(PUBLIC).append("</url-pattern>\n");
        xml.append("  </servlet-mapping>\n</web-app>\n");
        return xml.toString();
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(content);
        zip.closeEntry();
    }
}
