package org.jwtgate.internal.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;

/**
 * A servlet response that sends nothing: status and headers go nowhere, the body is discarded, every other call
 * answers {@code false}, {@code 0} or {@code null}. For writing a refusal only to load its classes ahead
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
                // written at once: never asked to wait
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
        return (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getOutputStream")) {
                        return discarded;
                    }
                    Class<?> type = method.getReturnType();
                    if (type == boolean.class) {
                        return Boolean.FALSE;
                    }
                    if (type == int.class) {
                        return 0;
                    }
                    if (type == long.class) {
                        return 0L;
                    }
                    return null;
                });
    }
}
