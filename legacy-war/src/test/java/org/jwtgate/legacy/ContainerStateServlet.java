package org.jwtgate.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.TreeSet;
import javax.management.ObjectName;

/**
 * The probe application's one servlet ({@link SecuredApps#PROBE}): what JwtGate left in the container's
 * JVM, one line each — {@code registration <appContext>} for each context path named by a {@code path}
 * parameter that has a provider in the container's Jakarta Authentication factory (looked up as the
 * container's authenticator does: the application context ID, "&lt;virtual host&gt; &lt;path&gt;"; Jetty's
 * factory lists no registrations by {@code getRegistrationIDs(null)}), {@code mbean <name>} for every
 * {@code org.jwtgate} MBean (a started module registers them, its close() removes them). The factory is
 * read by reflection: the probe is built from the test classes, against the servlet API only.
 */
public class ContainerStateServlet extends HttpServlet {

    private static final String API = "jakarta.security.auth.message.config.";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder state = new StringBuilder();
        try {
            ClassLoader loader = getClass().getClassLoader();
            Class<?> factoryType = Class.forName(API + "AuthConfigFactory", true, loader);
            Object factory = factoryType.getMethod("getFactory").invoke(null);
            Class<?> listenerType = Class.forName(API + "RegistrationListener", true, loader);
            String host = getServletContext().getVirtualServerName();
            TreeSet<String> appContexts = new TreeSet<>();
            String[] paths = request.getParameterValues("path");
            for (String path : paths == null ? new String[0] : paths) {
                String appContext = (host == null || host.isEmpty() ? "server" : host) + " " + path;
                if (factoryType.getMethod("getConfigProvider", String.class, String.class, listenerType)
                        .invoke(factory, "HttpServlet", appContext, null) != null) {
                    appContexts.add(appContext);
                }
            }
            appContexts.forEach(appContext -> state.append("registration ").append(appContext).append('\n'));
            for (ObjectName name : new TreeSet<>(ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.jwtgate:*"), null))) {
                state.append("mbean ").append(name).append('\n');
            }
            String requests = request.getParameter("requests");
            if (requests != null) {
                ObjectName name = new ObjectName("org.jwtgate:type=Requests,filter=\"JwtServerAuthModule\",context="
                        + ObjectName.quote(requests));
                var server = ManagementFactory.getPlatformMBeanServer();
                for (var attribute : server.getMBeanInfo(name).getAttributes()) {
                    state.append("requests ").append(attribute.getName()).append('=')
                            .append(server.getAttribute(name, attribute.getName())).append('\n');
                }
            }
        } catch (ReflectiveOperationException | javax.management.JMException e) {
            throw new IOException(e);
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(state.toString());
    }
}
