package org.jwtgate.internal.authentication;

import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jwtgate.internal.web.BearerErrorResponder;

/**
 * Sends a refusal through Jetty 12's own response, for the {@code JaspiMessageInfo} of Jetty's
 * {@code ee10-jaspi} (and {@code ee11-jaspi}) module. Jetty authenticates before its servlet layer
 * runs: a refusal written through the servlet response is never completed — the exchange's callback
 * is left pending and the connection's next request fails (jetty/jetty.project#14978, #15129). Jetty's
 * own modules therefore answer with {@code Response.write(last, content, callback)} on the
 * {@code getBaseResponse()} and {@code getCallback()} the message carries; so does this class.
 *
 * <p>Jetty's classes are hidden from web applications, so they are reached by reflection, through the
 * public types the message's methods declare ({@code org.eclipse.jetty.server.Response},
 * {@code org.eclipse.jetty.util.Callback}, {@code HttpFields.Mutable}: {@code put}, and {@code add} for a
 * header's further fields). A message without these methods is not Jetty's: {@link #of} answers {@code null}
 * and the servlet way is used.
 *
 * <p>On {@code request.authenticate()} (an unprotected resource) Jetty hands the module a core response that writes
 * into the page's servlet response ({@code ServletCoreResponse}, whose {@code getServletResponse()} answers it): what
 * the page began there is dropped first, as the refusal writer does on a servlet response (Tomcat), and a committed
 * page gets nothing ({@link #committed}).
 */
final class JettyCoreChannel extends ResponseChannel {

    /** What describes a page's body: dropped, with its buffered bytes, before a refusal is written after it. */
    private static final List<String> BODY_HEADERS = Stream.concat(BearerErrorResponder.PAGE_REPRESENTATION_HEADERS.stream(),
            Stream.of("Content-Type", "Content-Length", "Transfer-Encoding")).toList();

    private final RecordedResponse recorded;
    private final Object coreResponse;
    private final Object callback;
    private final Method setStatus;
    private final Method getHeaders;
    private final Method putHeader;
    private final Method addHeader;
    private final Method write;
    private final Method failed;
    private final Method isCommitted;

    private JettyCoreChannel(RecordedResponse recorded, Object coreResponse, Object callback, Method setStatus,
                             Method getHeaders, Method putHeader, Method addHeader, Method write, Method failed,
                             Method isCommitted) {
        this.recorded = recorded;
        this.coreResponse = coreResponse;
        this.callback = callback;
        this.setStatus = setStatus;
        this.getHeaders = getHeaders;
        this.putHeader = putHeader;
        this.addHeader = addHeader;
        this.write = write;
        this.failed = failed;
        this.isCommitted = isCommitted;
    }

    /** The reflective handles of one {@link MessageInfo} class: found once per class, not on every refusal. */
    private record Handles(Method baseResponse, Method callbackOf, Method setStatus, Method getHeaders,
                           Method putHeader, Method addHeader, Method write, Method failed, Method isCommitted) {
    }

    /** The handles of the last class seen (a container has one): null handles for a class that is not Jetty's. */
    private record Known(Class<?> type, Handles handles) {
    }

    // A plain field, not a ClassValue: a value stored on the container's class would pin this
    // application's class loader after an undeploy.
    private static volatile Known last = new Known(Void.class, null);

    /** The channel for a Jetty message, or {@code null} for any other container's. */
    static JettyCoreChannel of(MessageInfo messageInfo, HttpServletResponse servletResponse) {
        Known known = last;
        if (known.type() != messageInfo.getClass()) {
            known = new Known(messageInfo.getClass(), handlesOf(messageInfo.getClass()));
            last = known;
        }
        Handles handles = known.handles();
        if (handles == null) {
            return null;
        }
        try {
            Object coreResponse = handles.baseResponse().invoke(messageInfo);
            Object callback = handles.callbackOf().invoke(messageInfo);
            if (coreResponse == null || callback == null) {
                return null;
            }
            return new JettyCoreChannel(new RecordedResponse(servletResponse), coreResponse, callback, handles.setStatus(),
                    handles.getHeaders(), handles.putHeader(), handles.addHeader(), handles.write(), handles.failed(),
                    handles.isCommitted());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not the Jetty this was written for: answer the servlet way
        }
    }

    /** Loads the class a refusal through Jetty needs beyond those its writing loads ({@link ResponseChannel#loadNotStartedAnswer}). */
    static void loadClasses() {
        Handles.class.getName();
    }

    private static Handles handlesOf(Class<?> type) {
        Method baseResponse = publicNoArgMethod(type, "getBaseResponse");
        Method callbackOf = publicNoArgMethod(type, "getCallback");
        if (baseResponse == null || callbackOf == null) {
            return null;
        }
        try {
            Class<?> responseType = baseResponse.getReturnType();
            Class<?> callbackType = callbackOf.getReturnType();
            Method getHeaders = responseType.getMethod("getHeaders");
            Method putHeader = getHeaders.getReturnType().getMethod("put", String.class, String.class);
            Method addHeader = getHeaders.getReturnType().getMethod("add", String.class, String.class);
            Method setStatus = responseType.getMethod("setStatus", int.class);
            Method write = responseType.getMethod("write", boolean.class, ByteBuffer.class, callbackType);
            Method failed = callbackType.getMethod("failed", Throwable.class);
            Method isCommitted = publicNoArgMethod(responseType, "isCommitted"); // Jetty's Response has it
            if (isCommitted != null && isCommitted.getReturnType() != boolean.class) {
                isCommitted = null;
            }
            return new Handles(baseResponse, callbackOf, setStatus, getHeaders, putHeader, addHeader, write, failed,
                    isCommitted);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method publicNoArgMethod(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            return Modifier.isPublic(method.getDeclaringClass().getModifiers()) ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    @Override
    public HttpServletResponse response() {
        return recorded;
    }

    /** Whether Jetty's response was committed: the page's start was sent, a refusal can no longer be its answer. */
    @Override
    public boolean committed() {
        if (isCommitted == null) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(isCommitted.invoke(coreResponse));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Status, headers and body in one last write; Jetty completes the exchange's callback when it is sent. After a page
     * began (request.authenticate()), its buffered bytes and the headers describing its body are dropped first; on a
     * committed response nothing is written and the exchange's callback is failed.
     */
    @Override
    public void complete() throws IOException {
        try {
            if (committed()) {
                throw abort(new IllegalStateException("the response is committed: the refusal cannot be sent"));
            }
            HttpServletResponse page = pageResponse();
            if (page != null) {
                clearPage(page);
            }
            setStatus.invoke(coreResponse, recorded.recordedStatus());
            Object fields = getHeaders.invoke(coreResponse);
            for (Map.Entry<String, List<String>> header : recorded.recordedHeaders().entrySet()) {
                // One field per value, as the servlet response sends them: put the first, add the others.
                List<String> values = header.getValue();
                putHeader.invoke(fields, header.getKey(), values.get(0));
                for (String value : values.subList(1, values.size())) {
                    addHeader.invoke(fields, header.getKey(), value);
                }
            }
            write.invoke(coreResponse, true, ByteBuffer.wrap(recorded.recordedBody()), callback);
        } catch (InvocationTargetException e) {
            throw abort(e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw abort(e);
        }
    }

    /**
     * {@code getServletResponse()} of a core response's class, looked up once per class: Jetty's own core response has
     * none, and each refusal would otherwise make a NoSuchMethodException.
     */
    private static final ClassValue<java.util.Optional<Method>> SERVLET_RESPONSE_OF = new ClassValue<>() {
        @Override
        protected java.util.Optional<Method> computeValue(Class<?> type) {
            return java.util.Optional.ofNullable(publicNoArgMethod(type, "getServletResponse"));
        }
    };

    /**
     * The page's servlet response behind Jetty's core response, when the application called
     * {@code request.authenticate()} ({@code ServletCoreResponse.getServletResponse()}); null where Jetty authenticates
     * before its servlet layer (nothing of a page was written there).
     */
    private HttpServletResponse pageResponse() {
        Method servletResponseOf = SERVLET_RESPONSE_OF.get(coreResponse.getClass()).orElse(null);
        if (servletResponseOf == null) {
            return null;
        }
        try {
            return servletResponseOf.invoke(coreResponse) instanceof HttpServletResponse page ? page : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Drops what the page began before it called {@code request.authenticate()}, as the refusal writer does on a
     * servlet response (Tomcat): its buffered bytes and the headers describing its body. Jetty's core write would
     * otherwise send the page's bytes under the refusal's Content-Length, with the page's Content-Encoding,
     * Content-Disposition and charset. Jetty's {@code resetContent()} also forgets the page's writer and its charset
     * ({@code resetBuffer()} keeps them: the refusal's UTF-8 would be ignored), but removes more than the page's body
     * headers (Vary, Cache-Control, Expires): those are put back, as sendError leaves them.
     */
    static void clearPage(HttpServletResponse page) {
        // A response wrapper (a compression filter) may encode what is written through it: its Content-Encoding stays.
        boolean wrapperMayEncode = page instanceof ServletResponseWrapper;
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (String name : page.getHeaderNames()) {
            if (!describesBody(name, wrapperMayEncode)) {
                kept.putIfAbsent(name, new ArrayList<>(page.getHeaders(name)));
            }
        }
        if (wrapperMayEncode) {
            // A wrapper that holds the page's body until the page ends (Spring's ContentCachingResponseWrapper) drops
            // it here; resetContent below reaches past it to Jetty's response only.
            page.resetBuffer();
        }
        if (!resetContent(page) && !wrapperMayEncode) {
            page.resetBuffer();
        }
        for (String name : BODY_HEADERS) {
            if (!describesBody(name, wrapperMayEncode)) {
                continue;
            }
            if (page.containsHeader(name)) {
                page.setHeader(name, null); // removes it (Servlet 6)
            }
        }
        kept.forEach((name, values) -> {
            if (!page.containsHeader(name)) {
                values.forEach(value -> page.addHeader(name, value));
            }
        });
    }

    private static boolean describesBody(String name, boolean wrapperMayEncode) {
        if (wrapperMayEncode && name.equalsIgnoreCase("Content-Encoding")) {
            return false;
        }
        return BODY_HEADERS.stream().anyMatch(name::equalsIgnoreCase);
    }

    /**
     * Jetty's {@code ServletContextResponse.resetContent()} behind the page's response (its buffer, writer, charset
     * and content headers), reached from the servlet response by Jetty's public methods; false where it is not there.
     */
    private static boolean resetContent(HttpServletResponse page) {
        ServletResponse inner = page;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        try {
            Object channel = invokeIfPresent(inner, "getServletChannel");
            Object contextResponse = channel == null ? null : invokeIfPresent(channel, "getServletContextResponse");
            Method reset = contextResponse == null ? null : publicNoArgMethod(contextResponse.getClass(), "resetContent");
            if (reset == null) {
                return false;
            }
            reset.invoke(contextResponse);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Object invokeIfPresent(Object target, String name) throws ReflectiveOperationException {
        Method method = publicNoArgMethod(target.getClass(), name);
        return method == null ? null : method.invoke(target);
    }

    /** Ends the exchange (Jetty answers 500 if nothing was sent yet) rather than leaving it pending. */
    private IOException abort(Throwable cause) {
        try {
            failed.invoke(callback, cause);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // nothing more can be done for this exchange
        }
        return new IOException("the refusal could not be written to Jetty's response", cause);
    }
}
