package org.jwtgate.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.AnnotatedCallable;
import jakarta.enterprise.inject.spi.AnnotatedConstructor;
import jakarta.enterprise.inject.spi.AnnotatedField;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Decorator;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.Interceptor;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.jwtgate.principal.JwtPrincipal;

/**
 * Which beans would keep a {@code JwtPrincipal} beyond the request it was injected in: beans that outlive a request,
 * and the {@code @Dependent} beans they hold (a dependent instance lives as long as the bean it was injected into).
 */
final class LongLivedHolders {

    /**
     * Servlets, filters and servlet listeners: the servlet container creates one instance per application whatever the
     * bean's scope (a session listener, called inside the chain of the request that opens a session, kept the first
     * caller's principal for every later session).
     */
    private static final Set<String> CREATED_ONCE = Set.of("jakarta.servlet.Servlet", "jakarta.servlet.Filter",
            "jakarta.servlet.ServletContextListener", "jakarta.servlet.ServletContextAttributeListener",
            "jakarta.servlet.ServletRequestListener", "jakarta.servlet.ServletRequestAttributeListener",
            "jakarta.servlet.http.HttpSessionListener", "jakarta.servlet.http.HttpSessionAttributeListener",
            "jakarta.servlet.http.HttpSessionIdListener");

    private LongLivedHolders() {
    }

    /** Whether an instance of {@code bean} serves more than one request (matched by name: no servlet API needed). */
    static boolean outlivesRequest(Bean<?> bean, boolean managed) {
        if (isWrapper(bean)) {
            return true;
        }
        if (bean.getScope() == RequestScoped.class) {
            return false;
        }
        // A managed bean's class too, not its types alone: @Typed hides Servlet from those. A producer's bean class is
        // the class declaring it, which it does not make: a servlet's @Dependent producer is called per injection.
        return bean.getScope() != Dependent.class
                || bean.getTypes().stream().anyMatch(type -> type instanceof Class<?> c && CREATED_ONCE.contains(c.getName()))
                || managed && isServletOrFilter(bean.getBeanClass());
    }

    /** Whether an injection point is a parameter of a producer method: its bean is the product, not a managed bean. */
    static boolean isProducerParameter(Annotated annotated) {
        return annotated instanceof AnnotatedParameter<?> parameter
                && parameter.getDeclaringCallable().isAnnotationPresent(Produces.class);
    }

    /** Why a holder keeps a principal too long, for a message. */
    static String why(Bean<?> bean) {
        return isWrapper(bean)
                ? "it lives as long as the bean it wraps, which may outlive a request (it is refused whatever it wraps)"
                : "it outlives a request";
    }

    /**
     * An interceptor or a decorator: it lives as long as the instance it wraps, which may be an
     * {@code @ApplicationScoped} bean's, whatever its own scope says ({@code @Dependent}).
     */
    static boolean isWrapper(Bean<?> bean) {
        return bean instanceof Interceptor<?> || bean instanceof Decorator<?>;
    }

    /**
     * Whether {@code type} is a servlet, a filter or a servlet listener (matched by name: no servlet API needed): a
     * Jakarta EE container injects one that is no bean as a non-contextual instance, kept for the application.
     */
    static boolean isServletOrFilter(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (CREATED_ONCE.contains(c.getName()) || Arrays.stream(c.getInterfaces()).anyMatch(LongLivedHolders::isServletOrFilter)) {
                return true;
            }
        }
        return false;
    }

    /** How {@code bean} lives, for a message: {@code @ApplicationScoped}, {@code @Dependent servlet, filter or ...}. */
    static String lifetime(Bean<?> bean) {
        if (isWrapper(bean)) {
            return (bean instanceof Interceptor<?> ? "interceptor" : "decorator") + ": as long as the bean it wraps";
        }
        String scope = "@" + bean.getScope().getSimpleName();
        return bean.getScope() == Dependent.class ? scope + " servlet, filter or listener" : scope;
    }

    /**
     * A field, or a parameter of the constructor or an initializer method: set once, when the bean is created; or a
     * parameter of a producer method, called once for each instance of its product (the bean of such a point).
     */
    static boolean injectedOnce(Annotated annotated) {
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

    /**
     * How {@code holder} keeps a principal through the {@code @Dependent} beans injected into it (at any depth):
     * "[its injection point] holds a @Dependent [bean], which injects JwtPrincipal into [point]"; null when it does not.
     * The holder's own JwtPrincipal injection points are not looked at (ProcessInjectionPoint refuses them).
     */
    static String principalKeptThroughDependents(Bean<?> holder, BeanManager beanManager) {
        return keptThroughDependents(holder, beanManager, new HashSet<>());
    }

    private static String keptThroughDependents(Bean<?> holder, BeanManager beanManager, Set<Bean<?>> seen) {
        for (InjectionPoint point : holder.getInjectionPoints()) {
            if (point.isDelegate() || point.getType() == JwtPrincipal.class || !injectedOnce(point.getAnnotated())) {
                continue;
            }
            Bean<?> held = resolve(point, beanManager);
            if (held == null || held.getScope() != Dependent.class || !seen.add(held)) {
                continue;
            }
            String how = "[" + point.getMember() + "] holds a @Dependent [" + held.getBeanClass().getName() + "]";
            for (InjectionPoint inner : held.getInjectionPoints()) {
                if (inner.getType() == JwtPrincipal.class && injectedOnce(inner.getAnnotated())) {
                    return how + ", which injects JwtPrincipal into [" + inner.getMember() + "]";
                }
            }
            String deeper = keptThroughDependents(held, beanManager, seen);
            if (deeper != null) {
                return how + ", whose " + deeper;
            }
        }
        return null;
    }

    /** The bean an injection point receives; null when none can be named (the container reports that itself). */
    private static Bean<?> resolve(InjectionPoint point, BeanManager beanManager) {
        Type type = point.getType();
        try {
            return beanManager.resolve(beanManager.getBeans(type, point.getQualifiers().toArray(Annotation[]::new)));
        } catch (RuntimeException e) { // a type variable, an ambiguity: not a JwtPrincipal holder this check can name
            return null;
        }
    }
}
