package org.jwtgate.internal.authentication.registration;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import java.util.ArrayList;
import java.util.List;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * One start of an application on {@code Catalina/localhost} as the module's deployment sees it: the
 * context, the module deployed into it with TestTokens' settings, and the listener that deployment added.
 * A reload is one start's {@link #stopped()} then a new start; the versions of a parallel deployment
 * ({@code app##1}, {@code app##2}) are starts with the same context path.
 */
record Deployments(ServletContext context, ServletContextListener lifecycle) {

    static final String HOST = "Catalina/localhost";

    /** The module deployed as the initializer does, its listener not run yet. */
    static Deployments deploy(String contextPath) {
        ServletContext context = mock(ServletContext.class);
        when(context.getContextPath()).thenReturn(contextPath);
        when(context.getVirtualServerName()).thenReturn(HOST);
        List<ServletContextListener> listeners = new ArrayList<>();
        doAnswer(call -> listeners.add(call.getArgument(0))).when(context).addListener(any(ServletContextListener.class));
        ModuleDeployment.deploy(context, contextPath, TestTokens.settings(), ConfigSources.none());
        return new Deployments(context, listeners.get(0));
    }

    /** Deployed and its listeners run: the application serves. */
    static Deployments start(String contextPath) {
        Deployments started = deploy(contextPath);
        started.lifecycle().contextInitialized(new ServletContextEvent(started.context()));
        return started;
    }

    /**
     * A request of this application, as Tomcat handles it: the application's request listeners, then the
     * authenticator valve; returns the module the valve reaches.
     */
    DeferredModule request(CachingAuthenticator valve) {
        served();
        return (DeferredModule) valve.module();
    }

    /** The application's request listeners see a request. */
    void served() {
        if (lifecycle instanceof ServletRequestListener requests) {
            requests.requestInitialized(new ServletRequestEvent(context, mock(ServletRequest.class)));
        }
    }

    /** The application stops: reloaded, undeployed, or its deployment failed. */
    void stopped() {
        lifecycle.contextDestroyed(new ServletContextEvent(context));
    }
}
