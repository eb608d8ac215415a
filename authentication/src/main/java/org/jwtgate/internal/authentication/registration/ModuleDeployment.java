package org.jwtgate.internal.authentication.registration;

import jakarta.servlet.ServletContext;
import java.util.Map;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.authentication.ModuleSettings;

/**
 * Deploys the module for one application: settings loaded and checked as the filter loads its own
 * (context-params in place of init-params, then {@code config.file}, system properties and environment
 * variables), a {@link DeferredModule} registered with the container's factory, and the
 * {@link ModuleLifecycle} listener that starts the module when the application's listeners run and
 * undoes all of it when the application stops. Nothing is opened here: see {@link ModuleLifecycle}.
 */
final class ModuleDeployment {

    private ModuleDeployment() {
    }

    /** @throws org.jwtgate.JwtGateException naming the key or the missing container part; nothing is left registered then */
    static void deploy(ServletContext context, String application, Map<String, String> settings) {
        deploy(context, application, settings, ConfigSources.system());
    }

    static void deploy(ServletContext context, String application, Map<String, String> settings, ConfigSources sources) {
        JwtGateConfig config = ModuleSettings.load(settings, ModuleSettings.CONTEXT_PARAM, sources);
        DeferredModule module = new DeferredModule(application);
        ModuleRegistration registration = ModuleRegistration.register(module, context);
        module.registeredAs(registration);
        try {
            context.addListener(new ModuleLifecycle(context, application, config, module, registration));
        } catch (RuntimeException e) {
            registration.withdraw();
            module.stop(registration);
            throw e;
        }
    }
}
