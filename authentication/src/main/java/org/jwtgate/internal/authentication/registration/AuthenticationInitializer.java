package org.jwtgate.internal.authentication.registration;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.jwtgate.JwtGateException;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.internal.log.Log;

/**
 * Registers {@link JwtServerAuthModule} for a WAR whose context-param {@code jwtgate.authentication} is
 * {@code enabled}, with the settings of its {@code jwtgate.<key>} context-params (found through the jar's
 * {@code META-INF/services}). A WAR without that context-param is left alone. Any problem — another
 * value, an unknown {@code jwtgate.*} context-param, a bad setting, no Jakarta Authentication in the
 * container — fails the application's deployment with a message naming the context-param or key (never
 * a secret); the other applications keep running.
 *
 * <p>This class names no Jakarta Authentication type, so it loads in a container without that API
 * (Jetty without {@code ee10-jaspi}); {@link ModuleDeployment} does, and is reached only once the API is
 * known to be there.
 */
public final class AuthenticationInitializer implements ServletContainerInitializer {

    private static final Log LOG = Log.of(AuthenticationInitializer.class);
    /** A class of the Jakarta Authentication API: present to the application, or the module cannot work. */
    private static final String API_PROBE = "jakarta.security.auth.message.config.AuthConfigFactory";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        String enable = context.getInitParameter(JwtServerAuthModule.ENABLE_PARAM);
        // Null also for a switch written without its <param-value> (Jetty): that one is a mistake, not "off".
        boolean off = enable == null
                && !Collections.list(context.getInitParameterNames()).contains(JwtServerAuthModule.ENABLE_PARAM);
        String application = context.getContextPath().isEmpty() ? "/" : context.getContextPath();
        try {
            if (off) {
                ContextParamSettings.refuseMisspeltSwitch(context);
                return; // this application does not use the module
            }
            ContextParamSettings.requireEnabled(enable == null ? "" : enable);
            Map<String, String> settings = ContextParamSettings.read(context);
            requireAuthenticationApi(context);
            ModuleDeployment.deploy(context, application, settings);
        } catch (JwtGateException e) {
            LOG.error("JwtGate authentication module for [{}] not started: {}", application, e.getMessage());
            throw new ServletException("JwtGate authentication module for [" + application + "] not started: "
                    + e.getMessage(), e);
        }
    }

    private static void requireAuthenticationApi(ServletContext context) {
        try {
            Class.forName(API_PROBE, false, context.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException("Context-param [" + JwtServerAuthModule.ENABLE_PARAM + "] is ["
                    + JwtServerAuthModule.ENABLED + "], but the application cannot see the container's Jakarta"
                    + " Authentication API (jakarta.security.auth.message): on Jetty 12 enable the ee10-jaspi module and"
                    + " un-hide the package for applications (see docs/operations.md)");
        }
    }
}
