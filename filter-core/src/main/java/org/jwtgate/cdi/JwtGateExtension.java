package org.jwtgate.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.AnnotatedCallable;
import jakarta.enterprise.inject.spi.AnnotatedConstructor;
import jakarta.enterprise.inject.spi.AnnotatedField;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.inject.Inject;
import org.jwtgate.principal.JwtPrincipal;

/**
 * JwtGate's portable CDI extension, registered in
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}. It adds the producers of
 * {@code @Inject JwtPrincipal} (the user of the request being served) and
 * {@code @Inject RevocationService} (the revocation API of the first {@code JwtAuthFilter} that
 * started in this web application: the one the ServletContext attribute
 * {@code org.jwtgate.revocation.RevocationService} names), whatever the application's bean
 * discovery mode.
 *
 * <pre>{@code
 * @RequestScoped
 * public class Account {
 *     @Inject JwtPrincipal user;                 // null outside an authenticated request
 *     @Inject Provider<RevocationService> revocation;
 *
 *     public void logOutEverywhere() { revocation.get().revokeUser(user.subject()); }
 * }
 * }</pre>
 *
 * <p>An extension rather than a {@code beans.xml}: the jar stays a plain library (no bean
 * archive, nothing scanned), the producers are present in every discovery mode, even with
 * discovery disabled (add it with {@code Weld.addExtension(new JwtGateExtension())}), and without
 * CDI the service file is simply never read.
 *
 * <p>A bean that outlives a request ({@code @ApplicationScoped}, {@code @SessionScoped}, {@code @Singleton}: any
 * scope but {@code @Dependent} and {@code @RequestScoped}) and takes {@code JwtPrincipal} in a field, its constructor
 * or an initializer method would keep the principal of the request that created it and show it to every later
 * caller, as would a producer method of such a scope that takes {@code JwtPrincipal} (it is called once): the
 * container refuses to start, naming the bean and the injection point. Such a bean injects
 * {@code Provider<JwtPrincipal>} and calls {@code get()} per request (an observer method's {@code JwtPrincipal}
 * parameter, or a {@code @Dependent} or {@code @RequestScoped} producer's, is resolved at each call, and allowed).
 *
 * @since 1.0.0
 */
public class JwtGateExtension implements Extension {

    void addProducers(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        event.addAnnotatedType(JwtGateProducers.class, JwtGateProducers.class.getName());
    }

    void refuseStalePrincipal(@Observes ProcessInjectionPoint<?, JwtPrincipal> event) {
        InjectionPoint point = event.getInjectionPoint();
        Bean<?> bean = point.getBean();
        if (bean == null || bean.getScope() == Dependent.class || bean.getScope() == RequestScoped.class
                || !injectedOnce(point.getAnnotated())) {
            return;
        }
        event.addDefinitionError(new DefinitionException("Bean [" + bean.getBeanClass().getName() + "] (@"
                + bean.getScope().getSimpleName() + ") injects JwtPrincipal into [" + point.getMember() + "]: it "
                + "outlives a request, so it would keep one caller's principal for every later caller; inject "
                + "Provider<JwtPrincipal> and call get() while serving the request"));
    }

    /**
     * A field, or a parameter of the constructor or an initializer method: set once, when the bean is created; or a
     * parameter of a producer method, called once for each instance of its product (the bean of such a point).
     */
    private static boolean injectedOnce(Annotated annotated) {
        if (annotated instanceof AnnotatedField<?>) {
            return true;
        }
        if (annotated instanceof AnnotatedParameter<?> parameter) {
            AnnotatedCallable<?> callable = parameter.getDeclaringCallable();
            return callable instanceof AnnotatedConstructor<?> || callable.isAnnotationPresent(Inject.class)
                    || callable.isAnnotationPresent(Produces.class);
        }
        return false;
    }
}
