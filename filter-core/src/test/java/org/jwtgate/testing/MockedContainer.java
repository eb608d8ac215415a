package org.jwtgate.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A servlet container made of Mockito mocks, for a filter whose classes a test's own class loader holds: its
 * {@link FilterConfig} (filter {@code jwtgate}, context {@code /shop}) and GET requests to
 * {@code http://127.0.0.1:8080} sent through it one at a time.
 */
public final class MockedContainer {

    /** One answer of the filter: its status, whether the chain ran, the body, or what it threw. */
    public record Answer(int status, boolean passed, String body, String thrown) {
        @Override
        public String toString() {
            return thrown != null ? "THREW " + thrown : passed ? "chain ran (status " + status + ")" : status + " " + body;
        }
    }

    private MockedContainer() {
    }

    /** The filter's configuration: these init-parameters, in their order, and a context that keeps its attributes. */
    public static FilterConfig filterConfig(Map<String, String> initParameters) {
        Map<String, String> params = new LinkedHashMap<>(initParameters);
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        ServletContext context = mock(ServletContext.class);
        when(context.getContextPath()).thenReturn("/shop");
        when(context.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(context).setAttribute(anyString(), any());
        doAnswer(call -> attributes.remove(call.<String>getArgument(0))).when(context).removeAttribute(anyString());
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("jwtgate");
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameterNames()).thenAnswer(call -> Collections.enumeration(params.keySet()));
        when(config.getInitParameter(anyString())).thenAnswer(call -> params.get(call.<String>getArgument(0)));
        return config;
    }

    /**
     * A GET of {@code path} through the filter, with the {@code Authorization} and {@code DPoP} headers given (each
     * left out where null); a chain that only records that it ran.
     */
    public static Answer serve(Filter filter, String path, String authorization, String dpopProof) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("127.0.0.1");
        when(request.getServerPort()).thenReturn(8080);
        when(request.getHeader("DPoP")).thenReturn(dpopProof);
        when(request.getHeaders("DPoP")).thenAnswer(call -> Collections.enumeration(
                dpopProof == null ? List.of() : List.of(dpopProof)));
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn(path);
        when(request.getRequestURI()).thenReturn(path);
        when(request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        when(request.getHeader("Authorization")).thenReturn(authorization);
        when(request.getHeaders("Authorization")).thenAnswer(call -> Collections.enumeration(
                authorization == null ? List.of() : List.of(authorization)));
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        when(request.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        doAnswer(call -> {
            Object value = call.getArgument(1);
            if (value == null) {
                attributes.remove(call.<String>getArgument(0));
            } else {
                attributes.put(call.getArgument(0), value);
            }
            return null;
        }).when(request).setAttribute(anyString(), any());

        HttpServletResponse response = mock(HttpServletResponse.class);
        CapturedOutput body = new CapturedOutput();
        int[] status = {200};
        try {
            when(response.getOutputStream()).thenReturn(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        doAnswer(call -> status[0] = call.<Integer>getArgument(0)).when(response).setStatus(anyInt());
        when(response.getStatus()).thenAnswer(call -> status[0]);
        boolean[] passed = {false};
        try {
            filter.doFilter(request, response, (req, res) -> passed[0] = true);
            return new Answer(status[0], passed[0], body.text(), null);
        } catch (Throwable e) {
            return new Answer(status[0], passed[0], body.text(), e.toString());
        }
    }
}
