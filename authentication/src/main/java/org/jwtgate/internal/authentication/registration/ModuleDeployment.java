package org.jwtgate.internal.authentication.registration;

import jakarta.servlet.ServletContext;
import java.util.Map;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.authentication.ModuleSettings;
import org.jwtgate.internal.log.Log;
import org.jwtgate.revocation.RevocationService;

/**
 * Starts the module for one application and ties it to the application's life: settings loaded as the
 * filter loads its own (context-params in place of init-params, then {@code config.file}, system
 * properties and environment variables), the module registered with the container's factory, the
 * revocation API published as {@link RevocationService#CONTEXT_ATTRIBUTE}, and a listener that undoes
 * all of it when the application stops.
 */
final class ModuleDeployment {

    private static final Log LOG = Log.of(ModuleDeployment.class);

    private ModuleDeployment() {
    }

    /** @throws org.jwtgate.JwtGateException naming the key or the missing container part; nothing is left open then */
    static void deploy(ServletContext context, String application, Map<String, String> settings) {
        deploy(context, application, settings, ConfigSources.system());
    }

    static void deploy(ServletContext context, String application, Map<String, String> settings, ConfigSources sources) {
        JwtGateConfig config = ModuleSettings.load(settings, ModuleSettings.CONTEXT_PARAM, sources);
        JwtServerAuthModule module = JwtServerAuthModule.builder().config(config).servletContext(context).build();
        try {
            String registration = ModuleRegistration.register(module, context);
            boolean published = context.getAttribute(RevocationService.CONTEXT_ATTRIBUTE) == null;
            if (published) {
                context.setAttribute(RevocationService.CONTEXT_ATTRIBUTE, module.revocationService());
            }
            context.addListener(new ModuleLifecycle(module, registration, published));
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
        ModuleSettings.logStarted(LOG, "for [" + application + "]", module.gate());
    }
}
