package org.jwtgate.legacy;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * A probe (DispatchesAndRoleRefsInContainersIT): {@code /boom} throws (after committing the response with {@code ?commit});
 * {@code /error-page} is the application's error page and says who it sees; {@code /public/fwd}, {@code /public/fwd-writer}
 * (after taking a UTF-16 writer for a download) and {@code /public/inc} forward to or include {@code ?to}.
 */
public class DispatchProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, jakarta.servlet.ServletException {
        Object included = request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
        String path = included instanceof String s ? s : request.getServletPath();
        if (path.equals("/boom")) {
            if (request.getParameter("commit") != null) {
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().print("partial ");
                response.flushBuffer();
            }
            throw new IllegalStateException("boom");
        }
        if (path.equals("/public/fwd")) {
            request.getRequestDispatcher(request.getParameter("to")).forward(request, response);
            return;
        }
        if (path.equals("/public/fwd-writer")) {
            // A page that began a download in UTF-16, then forwards: a refusal there must not keep its headers.
            response.setHeader("Content-Disposition", "attachment; filename=\"report.csv.gz\"");
            response.setHeader("Content-Encoding", "gzip");
            response.setContentType("text/csv");
            response.setCharacterEncoding("UTF-16");
            response.getWriter();
            request.getRequestDispatcher(request.getParameter("to")).forward(request, response);
            return;
        }
        if (path.equals("/public/inc")) {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("[");
            request.getRequestDispatcher(request.getParameter("to")).include(request, response);
            response.getWriter().print("]");
            return;
        }
        Principal user = request.getUserPrincipal();
        if (path.equals("/user/roles")) {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().println("roles user=" + (user == null ? "anonymous" : user.getName())
                    + " boss=" + request.isUserInRole("boss") + " admin=" + request.isUserInRole("admin"));
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("error-page user=" + (user == null ? "anonymous" : user.getName())
                + " admin=" + request.isUserInRole("admin") + " dispatch=" + request.getDispatcherType()
                + " status=" + request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
    }
}
