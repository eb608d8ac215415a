package org.jwtgate.authentication;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mockito.invocation.InvocationOnMock;

/**
 * One request/response pair as a container hands it to the module, with what the module wrote: the
 * request and response are Mockito stubs (the module reads headers, cookies, method and path; writes
 * status, headers and a body), the {@link MessageInfo} a plain implementation like a container's. Public for the
 * registration tests, which hand it to the module through a container's provider.
 */
public final class Exchange implements MessageInfo {

    final HttpServletRequest request = mock(HttpServletRequest.class);
    final HttpServletResponse response = mock(HttpServletResponse.class);
    final Map<String, String> headersWritten = new LinkedHashMap<>();
    final Map<String, Object> attributes = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status;
    private final Map<String, Object> map = new HashMap<>();
    private Object requestMessage = request;
    private Object responseMessage = response;

    private Exchange(String method, boolean mandatory, Map<String, List<String>> requestHeaders, Cookie... cookies)
            throws Exception {
        when(request.getMethod()).thenReturn(method);
        when(request.getServletPath()).thenReturn("/admin");
        when(request.getPathInfo()).thenReturn("/x");
        // Where the request was received: what a DPoP proof's htu is compared with.
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("127.0.0.1");
        when(request.getServerPort()).thenReturn(8080);
        when(request.getRequestURI()).thenReturn("/admin/x");
        when(request.getHeaders(org.mockito.ArgumentMatchers.anyString())).thenAnswer(call -> Collections.enumeration(
                requestHeaders.getOrDefault(call.getArgument(0, String.class), List.of())));
        when(request.getHeader(org.mockito.ArgumentMatchers.anyString())).thenAnswer(call -> {
            String name = call.getArgument(0, String.class);
            if (name.equals("Cookie") && cookies.length > 0) {
                // As in a container: cookies come from a Cookie header.
                return String.join("; ", java.util.Arrays.stream(cookies).map(c -> c.getName() + "=" + c.getValue()).toList());
            }
            List<String> values = requestHeaders.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        });
        when(request.getCookies()).thenReturn(cookies.length == 0 ? null : cookies);
        org.mockito.Mockito.doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(request).setAttribute(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any());
        when(request.getAttribute(org.mockito.ArgumentMatchers.anyString()))
                .thenAnswer(call -> attributes.get(call.getArgument(0, String.class)));
        org.mockito.Mockito.doAnswer(call -> attributes.remove(call.getArgument(0, String.class)))
                .when(request).removeAttribute(org.mockito.ArgumentMatchers.anyString());

        org.mockito.Mockito.doAnswer(this::header).when(response).setHeader(org.mockito.ArgumentMatchers.anyString(),
                org.mockito.ArgumentMatchers.anyString());
        org.mockito.Mockito.doAnswer(call -> status = call.getArgument(0, Integer.class)).when(response)
                .setStatus(org.mockito.ArgumentMatchers.anyInt());
        org.mockito.Mockito.doAnswer(call -> headersWritten.put("Content-Type", call.getArgument(0))).when(response)
                .setContentType(org.mockito.ArgumentMatchers.anyString());
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        });
        if (mandatory) {
            map.put(JwtServerAuthModule.MANDATORY_KEY, "true");
        }
    }

    private Object header(InvocationOnMock call) {
        return headersWritten.put(call.getArgument(0), call.getArgument(1));
    }

    /** The status the module set, 0 if none: for the registration tests. */
    public int status() {
        return status;
    }

    /** A response header the module set, or null: for the registration tests. */
    public String writtenHeader(String name) {
        return headersWritten.get(name);
    }

    /** A GET with these request headers (name, value, name, value…), to a resource a constraint protects or not. */
    public static Exchange get(boolean mandatory, String... headers) throws Exception {
        return of("GET", mandatory, headers);
    }

    static Exchange of(String method, boolean mandatory, String... headers) throws Exception {
        return new Exchange(method, mandatory, headerMap(headers));
    }

    static Exchange withCookie(String method, String cookieName, String token, String... headers) throws Exception {
        return new Exchange(method, true, headerMap(headers), new Cookie(cookieName, token));
    }

    private static Map<String, List<String>> headerMap(String... headers) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.computeIfAbsent(headers[i], name -> new java.util.ArrayList<>()).add(headers[i + 1]);
        }
        return map;
    }

    /**
     * The same request and response in a new MessageInfo, as Tomcat passes them when the application calls
     * {@code request.authenticate()} ({@code mandatory} true) or {@code request.logout()}.
     */
    MessageInfo again(boolean mandatory) {
        Map<String, Object> againMap = new HashMap<>();
        if (mandatory) {
            againMap.put(JwtServerAuthModule.MANDATORY_KEY, "true");
        }
        return withMap(againMap);
    }

    /** The same request and response in a MessageInfo whose map is {@code map}: null, or one the container keeps. */
    MessageInfo withMap(Map<String, Object> map) {
        return new MessageInfo() {
            @Override
            public Object getRequestMessage() {
                return request;
            }

            @Override
            public Object getResponseMessage() {
                return response;
            }

            @Override
            public void setRequestMessage(Object request) {
            }

            @Override
            public void setResponseMessage(Object response) {
            }

            @Override
            public Map<String, Object> getMap() {
                return map;
            }
        };
    }

    /** Jetty's deferred authentication: neither request nor response at hand. */
    Exchange withoutMessages() {
        requestMessage = null;
        responseMessage = null;
        return this;
    }

    /** A request but no response to answer on. */
    Exchange withoutResponse() {
        responseMessage = null;
        return this;
    }

    String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Object getRequestMessage() {
        return requestMessage;
    }

    @Override
    public Object getResponseMessage() {
        return responseMessage;
    }

    @Override
    public void setRequestMessage(Object request) {
        requestMessage = request;
    }

    @Override
    public void setResponseMessage(Object response) {
        responseMessage = response;
    }

    @Override
    public Map<String, Object> getMap() {
        return map;
    }
}
