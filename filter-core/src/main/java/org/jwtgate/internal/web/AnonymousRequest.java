package org.jwtgate.internal.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A request let through without a caller (a {@code paths.optional} path without a token, a dispatch after
 * {@code logout()}): the container's request, but {@code authenticate()} answers as the front end does (a token is
 * the way in): the 401 challenge and {@code false}, unless the container's own {@code login()} established a caller.
 */
public final class AnonymousRequest extends HttpServletRequestWrapper {

    private final Challenge challenge;

    public AnonymousRequest(HttpServletRequest request, Challenge challenge) {
        super(request);
        this.challenge = challenge;
    }

    @Override
    public boolean authenticate(HttpServletResponse answer) throws IOException {
        return challenge.authenticate(getUserPrincipal(), answer);
    }
}
