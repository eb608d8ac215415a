package org.jwtgate.internal.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * A servlet response that sends nothing: status and headers go nowhere, the body (stream or writer) is discarded,
 * every other call answers {@code false}, {@code 0}, an empty collection or {@code null}. For writing a refusal only to load its classes ahead
 * ({@link TokenAuthentication#loadRefusalClasses()}), and for a wrapper that needs a response it never writes to.
 */
public final class DiscardingResponse {

    /** The one instance: it keeps nothing. */
    public static final HttpServletResponse INSTANCE = create();

    private DiscardingResponse() {
    }

    private static HttpServletResponse create() {
        ServletOutputStream discarded = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                try {
                    listener.onWritePossible(); // never has to wait
                } catch (IOException e) {
                    listener.onError(e);
                }
            }

            @Override
            public void write(int b) {
                // discarded
            }

            @Override
            public void write(byte[] b, int off, int len) {
                // discarded
            }
        };
        PrintWriter discardedText = new PrintWriter(Writer.nullWriter());
        return (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getOutputStream" -> discarded;
                    case "getWriter" -> discardedText;
                    case "getCharacterEncoding" -> StandardCharsets.ISO_8859_1.name(); // the Servlet default
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "DiscardingResponse";
                    default -> defaultOf(method.getReturnType());
                });
    }

    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return Collection.class.isAssignableFrom(type) ? List.of() : null;
    }
}
