package org.jwtgate.legacy;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Put into a variant of secured.war ({@link SecuredApps#FAILING_LISTENER}) by its web.xml: the
 * application's own listener fails, so its deployment fails after JwtGate's initializer has run, as
 * an application whose start-up code throws does.
 */
public class FailingStartListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        throw new IllegalStateException("FailingStartListener: this application fails to start, on purpose");
    }
}
