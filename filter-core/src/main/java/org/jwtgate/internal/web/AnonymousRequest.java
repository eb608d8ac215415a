package org.jwtgate.internal.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A request let through without a caller (a {@code paths.optional} path without a token, a dispatch after
 * {@code logout()}): the container's request, but {@code authenticate()} ({@link Challenge}) asks the container's
 * mechanism first and, when the container has none, answers the front end's 401 challenge (no body) and {@code false}.
 */
public final class AnonymousRequest extends HttpServletRequestWrapper {

    private final Challenge challenge;

    public AnonymousRequest(HttpServletRequest request, Challenge challenge) {
        super(request);
        this.challenge = challenge;
    }

    @Override
    public boolean authenticate(HttpServletResponse answer) throws IOException, ServletException {
        return challenge.authenticate((HttpServletRequest) getRequest(), answer);
    }
}
