package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jwtgate.sample.operations.OperationsStatus;

/**
 * {@code GET /admin/status} (role {@code admin}, by {@code paths.roles=/admin/*=admin}): the
 * operations view the page's admin panel polls every second — Redis nodes and roles, the
 * near-cache, the filter's counters (see {@link OperationsStatus}). Always 200: a DOWN verdict is
 * part of the answer, not a failure of it.
 */
@Singleton
public class AdminStatusServlet extends AdminServlet {

    private static final long serialVersionUID = 1L;

    private final OperationsStatus status;

    @Inject
    public AdminStatusServlet(OperationsStatus status) {
        this.status = status;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        json(response, 200, status.read());
    }
}
