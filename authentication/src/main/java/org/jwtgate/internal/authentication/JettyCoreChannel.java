package org.jwtgate.internal.authentication;

import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

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
 */
final class JettyCoreChannel extends ResponseChannel {

    private final RecordedResponse recorded;
    private final Object coreResponse;
    private final Object callback;
    private final Method setStatus;
    private final Method getHeaders;
    private final Method putHeader;
    private final Method addHeader;
    private final Method write;
    private final Method failed;

    private JettyCoreChannel(RecordedResponse recorded, Object coreResponse, Object callback, Method setStatus,
                             Method getHeaders, Method putHeader, Method addHeader, Method write, Method failed) {
        this.recorded = recorded;
        this.coreResponse = coreResponse;
        this.callback = callback;
        this.setStatus = setStatus;
        this.getHeaders = getHeaders;
        this.putHeader = putHeader;
        this.addHeader = addHeader;
        this.write = write;
        this.failed = failed;
    }

    /** The reflective handles of one {@link MessageInfo} class: found once per class, not on every refusal. */
    private record Handles(Method baseResponse, Method callbackOf, Method setStatus, Method getHeaders,
                           Method putHeader, Method addHeader, Method write, Method failed) {
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
                    handles.getHeaders(), handles.putHeader(), handles.addHeader(), handles.write(), handles.failed());
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
            return new Handles(baseResponse, callbackOf, setStatus, getHeaders, putHeader, addHeader, write, failed);
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

    /** Status, headers and body in one last write; Jetty completes the exchange's callback when it is sent. */
    @Override
    public void complete() throws IOException {
        try {
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
