package org.jwtgate.internal.authentication.registration;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import org.jwtgate.JwtGateException;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.log.Log;
import org.jwtgate.revocation.RevocationService;

/**
 * The module's life within one application's: started when the application's listeners run
 * (contextInitialized), with the revocation API published; its deployment known complete at its first
 * request (requestInitialized); undone when the application stops (contextDestroyed) — the registration
 * withdrawn ({@link ModuleRegistration#withdraw()}: on Tomcat a served one stays, for a reload's
 * registration to replace), the revocation API withdrawn, the module closed (its Redis and JWKS clients
 * released) and let go by its stand-in.
 *
 * <p>Why the start waits for contextInitialized: when a deployment fails before this listener ran (an
 * initializer after JwtGate's throws, a listener declared in web.xml fails), Jetty 12 never calls its
 * contextDestroyed (ServletContextHandler.contextDestroyed() calls only the listeners whose
 * contextInitialized returned), so nothing may be running then. Tomcat calls contextDestroyed on every
 * listener of a failed application, initialized or not: undoing is safe without a start.
 */
final class ModuleLifecycle implements ServletContextListener, ServletRequestListener {

    private static final Log LOG = Log.of(ModuleLifecycle.class);

    /** The application's own: Tomcat hands a listener added by an initializer a restricted context. */
    private final ServletContext context;
    private final String application;
    private final JwtGateConfig config;
    private final DeferredModule module;
    private final ModuleRegistration registration;
    private volatile boolean published;

    ModuleLifecycle(ServletContext context, String application, JwtGateConfig config, DeferredModule module,
                    ModuleRegistration registration) {
        this.context = context;
        this.application = application;
        this.config = config;
        this.module = module;
        this.registration = registration;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        JwtServerAuthModule started = null;
        try {
            started = JwtServerAuthModule.builder().config(config).servletContext(context).build();
            module.started(started);
            if (context.getAttribute(RevocationService.CONTEXT_ATTRIBUTE) == null) {
                context.setAttribute(RevocationService.CONTEXT_ATTRIBUTE, started.revocationService());
                published = true;
            }
        } catch (RuntimeException e) {
            if (e instanceof JwtGateException) {
                LOG.error("JwtGate authentication module for [{}] not started: {}", application, e.getMessage());
            }
            // Jetty will not call contextDestroyed on a listener whose contextInitialized threw.
            try {
                contextDestroyed(event);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            } finally {
                if (started != null) {
                    started.close(); // not handed over when the stand-in refused it (closing again is nothing)
                }
            }
            throw e;
        }
    }

    /**
     * The application serves: its deployment is complete (Tomcat runs every listener even after one failed,
     * so a started module does not tell that).
     */
    @Override
    public void requestInitialized(ServletRequestEvent event) {
        registration.served();
    }

    /** Also called for a failed start, and by Tomcat without contextInitialized: undoes what was done. */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try {
            registration.withdraw();
            if (published) {
                published = false;
                context.removeAttribute(RevocationService.CONTEXT_ATTRIBUTE);
            }
        } finally {
            JwtServerAuthModule started = module.stop(registration);
            if (started != null) {
                started.close();
            }
        }
    }
}
