package org.jwtgate.internal.token;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Objects;

/**
 * A header a request may carry at most once (the token's, and DPoP's proof), read as the application sees it: one
 * rule for both, so a request wrapper of another filter before JwtGate is honoured alike for each.
 *
 * <p>The container's request answers {@code getHeader} and {@code getHeaders} alike, and is asked once
 * ({@code getHeaders}, which alone tells two fields apart). A wrapper may override one of them alone: {@code getHeader}
 * (many do; Spring's resolver reads only that) or {@code getHeaders} (JAX-RS runtimes such as Jersey read that). When
 * its two answers disagree, the one the wrapper changed from the container's answer is read, {@code getHeader}'s when
 * both differ; a header the wrapper hides (null, or no value) is a change like any other. Two fields in {@code getHeaders} make the header {@linkplain #repeated() repeated}, whatever
 * {@code getHeader} says.
 *
 * @param value    the header's one value, null when absent or repeated
 * @param repeated the request carries the header more than once
 */
public record SingleHeader(String value, boolean repeated) {

    private static final SingleHeader ABSENT = new SingleHeader(null, false);
    private static final SingleHeader REPEATED = new SingleHeader(null, true);

    /** The header {@code name} of {@code request}: absent, repeated, or its one value. */
    public static SingleHeader read(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        String value = null;
        if (values != null && values.hasMoreElements()) {
            value = values.nextElement();
            if (values.hasMoreElements()) {
                return REPEATED;
            }
        }
        if (request instanceof ServletRequestWrapper) {
            value = wrappersHeader(request, name, value);
        }
        return value == null ? ABSENT : new SingleHeader(value, false);
    }

    /** A wrapped request's value by the rule above; {@code fromGetHeaders}: the one field getHeaders gave, or null. */
    private static String wrappersHeader(HttpServletRequest request, String name, String fromGetHeaders) {
        String seen = request.getHeader(name);
        if (Objects.equals(seen, fromGetHeaders)) {
            return seen;
        }
        ServletRequest container = request;
        while (container instanceof ServletRequestWrapper wrapper) {
            container = wrapper.getRequest();
        }
        boolean getHeaderChanged = !(container instanceof HttpServletRequest http)
                || !Objects.equals(seen, http.getHeader(name));
        return getHeaderChanged ? seen : fromGetHeaders;
    }
}
