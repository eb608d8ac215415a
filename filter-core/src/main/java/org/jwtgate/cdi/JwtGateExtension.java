package org.jwtgate.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * caller, as would a producer method of such a scope that takes {@code JwtPrincipal} (it is called once), a
 * {@code @Dependent} bean it holds that takes {@code JwtPrincipal} (at any depth), an interceptor or a decorator (it
 * lives as long as the bean it wraps: refused whatever it wraps), or a servlet, filter or servlet listener,
 * {@code @Dependent} or no bean at all (the servlet container keeps one instance): the container refuses to start,
 * naming the bean and the injection point. Such a bean injects
 * {@code Provider<JwtPrincipal>} and calls {@code get()} per request (an observer method's {@code JwtPrincipal}
 * parameter, or a {@code @Dependent} or {@code @RequestScoped} producer's, is resolved at each call, and allowed). The
 * check goes by type, whatever the qualifier: an application's producer of a qualified {@code JwtPrincipal} may hand
 * on the request's.
 *
 * @since 1.0.0
 */
public class JwtGateExtension implements Extension {

    /** The extension, as the CDI container creates it from {@code META-INF/services}. */
    public JwtGateExtension() {
    }

    void addProducers(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        event.addAnnotatedType(JwtGateProducers.class, JwtGateProducers.class.getName());
    }

    void refuseStalePrincipal(@Observes ProcessInjectionPoint<?, JwtPrincipal> event) {
        InjectionPoint point = event.getInjectionPoint();
        Bean<?> bean = point.getBean();
        if (!LongLivedHolders.injectedOnce(point.getAnnotated())) {
            return;
        }
        String holder;
        if (bean != null) {
            holder = LongLivedHolders.outlivesRequest(bean, !LongLivedHolders.isProducerParameter(point.getAnnotated()))
                    ? "Bean [" + bean.getBeanClass().getName() + "] (" + LongLivedHolders.lifetime(bean) + ")" : null;
        } else { // no bean: a component the Jakarta EE container injects itself, such as a servlet in no bean archive
            Class<?> component = point.getMember().getDeclaringClass();
            holder = LongLivedHolders.isServletOrFilter(component)
                    ? "Servlet, filter or listener [" + component.getName() + "] (no bean, one instance)" : null;
        }
        if (holder != null) {
            String why = bean != null ? LongLivedHolders.why(bean) : "it outlives a request";
            event.addDefinitionError(new DefinitionException(holder + " injects JwtPrincipal into [" + point.getMember()
                    + "]: " + why + ", so it would keep one caller's principal for every later caller; inject "
                    + "Provider<JwtPrincipal> and call get() while serving the request"));
        }
    }

    /** Interceptors and decorators, which BeanManager.getBeans does not list: they live as long as what they wrap. */
    private final List<Bean<?>> wrappers = new ArrayList<>();
    /** Managed beans, told from producers: only their own class says whether the servlet container keeps one. */
    private final Set<Bean<?>> managedBeans = new HashSet<>();

    void collectWrappers(@Observes ProcessBean<?> event) {
        if (LongLivedHolders.isWrapper(event.getBean())) {
            wrappers.add(event.getBean());
        }
    }

    void collectManagedBeans(@Observes ProcessManagedBean<?> event) {
        managedBeans.add(event.getBean());
    }

    /** A long-lived bean may also keep a principal inside a @Dependent bean it holds: only the whole graph shows it. */
    void refuseStalePrincipalInDependents(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        List<Bean<?>> holders = new ArrayList<>(beanManager.getBeans(Object.class, Any.Literal.INSTANCE));
        holders.addAll(wrappers);
        for (Bean<?> bean : holders) {
            if (!LongLivedHolders.outlivesRequest(bean, managedBeans.contains(bean))) {
                continue;
            }
            String kept = LongLivedHolders.principalKeptThroughDependents(bean, beanManager);
            if (kept != null) {
                event.addDeploymentProblem(new DeploymentException("Bean [" + bean.getBeanClass().getName() + "] ("
                        + LongLivedHolders.lifetime(bean) + "): its " + kept + ": " + LongLivedHolders.why(bean)
                        + ", so it would keep "
                        + "one caller's principal for every later caller; inject Provider<JwtPrincipal> (or a Provider of "
                        + "the @Dependent bean) and call get() while serving the request"));
            }
        }
    }
}
