package org.jwtgate.testkit.webapp;

import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A web application's class loader as a servlet container makes it for a WAR holding JwtGate and jose4j in
 * {@code WEB-INF/lib}: their classes ({@code org.jwtgate.*}, {@code org.jose4j.*}) are its own, loaded child-first
 * from the jars or class folders given; every other class (the JDK, the servlet API, Jedis) comes from the parent, as
 * do the test kit's classes and those the test names as shared. The parent is the test's class loader.
 *
 * <p>Why: Jetty 12 stops a context without waiting for the requests inside it and closes the application's class
 * loader. A request that reaches the stopped filter or module afterwards may use only the classes loaded before; one
 * it needs then is a {@code NoClassDefFoundError}, which Jetty answers 500. Close this loader where Jetty would, then
 * send the request:
 *
 * <pre>{@code
 * WarClassLoader war = new WarClassLoader(MyTest.class, List.of(), JwtAuthFilter.class, JwtClaims.class);
 * Filter filter = (Filter) war.loadClass(JwtAuthFilter.class.getName()).getConstructor().newInstance();
 * filter.init(config);
 * filter.destroy();
 * war.close();                      // as Jetty stops the context
 * filter.doFilter(request, response, chain);
 * }</pre>
 *
 * @since 1.1.0
 */
public final class WarClassLoader extends URLClassLoader {

    /** The start of the names, under {@code org.jwtgate}, of the classes that come from the parent. */
    private final List<String> fromTheParent;

    /**
     * A loader over the jars or class folders of {@code webInfLib}, child-first for JwtGate and jose4j.
     *
     * @param test      the test class: its class loader is the parent, and it and its nested classes come from there
     * @param shared    the start of further class names under {@code org.jwtgate} that come from the parent: the test's
     *                  helpers ({@code "org.jwtgate.testing."}, a class name), which the WAR does not hold
     * @param webInfLib a class of each jar or class folder the WAR holds (say {@code JwtAuthFilter.class} and
     *                  {@code JwtClaims.class})
     * @throws IllegalArgumentException when a class of {@code webInfLib} comes from no jar or folder (a JDK class)
     */
    public WarClassLoader(Class<?> test, List<String> shared, Class<?>... webInfLib) {
        super(locations(webInfLib), test.getClassLoader());
        List<String> names = new ArrayList<>(List.of("org.jwtgate.testkit.", test.getName()));
        names.addAll(shared);
        fromTheParent = List.copyOf(names);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        boolean war = name.startsWith("org.jwtgate.") || name.startsWith("org.jose4j.");
        if (!war || fromTheParent.stream().anyMatch(name::startsWith)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : findClass(name);
        }
    }

    private static URL[] locations(Class<?>... types) {
        URL[] urls = new URL[types.length];
        for (int i = 0; i < types.length; i++) {
            CodeSource source = types[i].getProtectionDomain().getCodeSource();
            if (source == null) {
                throw new IllegalArgumentException("No jar or folder holds " + types[i].getName());
            }
            try {
                urls[i] = source.getLocation().toURI().toURL();
            } catch (URISyntaxException | MalformedURLException e) {
                throw new IllegalArgumentException("The location of " + types[i].getName() + ": " + e.getMessage(), e);
            }
        }
        return urls;
    }
}
