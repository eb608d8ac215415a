package org.jwtgate.internal.authentication.registration;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.revocation.RevocationService;

/**
 * Undoes a per-application deployment when the application stops: the registration removed, the
 * revocation API withdrawn, the module closed (its Redis and JWKS clients released).
 */
final class ModuleLifecycle implements ServletContextListener {

    private final JwtServerAuthModule module;
    private final String registration;
    private final boolean published;

    ModuleLifecycle(JwtServerAuthModule module, String registration, boolean published) {
        this.module = module;
        this.registration = registration;
        this.published = published;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try {
            ModuleRegistration.unregister(registration);
            if (published) {
                event.getServletContext().removeAttribute(RevocationService.CONTEXT_ATTRIBUTE);
            }
        } finally {
            module.close();
        }
    }
}
