package org.jwtgate.legacy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;

/**
 * Says who the container sees and answers isUserInRole for a fixed set of names (role-ref {@code boss} links
 * {@code admin}), for the Jakarta Authentication module in the real containers (ModuleRolesSessionsAndDispatchesIT,
 * AuthenticateAfterWritingInContainersIT). {@code ?session} creates a session first; {@code ?login} calls request.login;
 * {@code ?async} answers from an async dispatch back to this servlet, {@code ?asyncto=path} dispatches there;
 * {@code ?authw} starts a gzip download's headers and body, then calls request.authenticate(); {@code ?authc} commits
 * its start, then calls it; {@code ?relogin} calls request.logout(), then request.authenticate().
 */
public class CallerProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String prefix = "probe";
        if (request.getParameter("async") != null && request.getDispatcherType() != jakarta.servlet.DispatcherType.ASYNC) {
            AsyncContext async = request.startAsync();
            async.dispatch();
            return;
        }
        if (request.getParameter("asyncto") != null && request.getDispatcherType() != jakarta.servlet.DispatcherType.ASYNC) {
            request.startAsync().dispatch(request.getParameter("asyncto"));
            return;
        }
        if (request.getParameter("authw") != null) {
            // A page that began a download, then needs the user further down.
            response.setHeader("Content-Disposition", "attachment; filename=\"report.csv.gz\"");
            response.setHeader("Content-Encoding", "gzip");
            response.setContentType("text/csv");
            response.getWriter().print("page started,");
            if (!request.authenticate(response)) {
                return; // the container has written its challenge
            }
            prefix = "authenticated";
        }
        if (request.getParameter("authc") != null) {
            // A page that sent its start (committed), then asks for the caller.
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("page sent,");
            response.flushBuffer();
            try {
                boolean known = request.authenticate(response);
                response.getWriter().print("authenticate=" + known + ",");
            } catch (IllegalStateException e) {
                response.getWriter().print("authenticate-threw(" + e.getClass().getSimpleName() + "),");
            }
            prefix = "after-commit";
        }
        if (request.getParameter("relogin") != null) {
            request.logout();
            boolean again;
            try {
                again = request.authenticate(response);
            } catch (ServletException e) {
                response.getWriter().print("authenticate-threw(" + e.getMessage() + ")");
                return;
            }
            if (!again) {
                return; // the container has written its challenge
            }
            prefix = "relogged";
        }
        if (request.getParameter("session") != null) {
            HttpSession session = request.getSession(true);
            prefix = "session-created";
            session.setAttribute("x", "y");
        }
        if (request.getParameter("login") != null) {
            try {
                request.login("tomcat", "tomcat");
                prefix = "login-ok";
            } catch (ServletException e) {
                prefix = "login-failed";
            }
        }
        Principal user = request.getUserPrincipal();
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(prefix + " user=" + (user == null ? "anonymous" : user.getName())
                + " admin=" + request.isUserInRole("admin")
                + " boss=" + request.isUserInRole("boss")
                + " staff=" + request.isUserInRole("staff")
                + " any=" + request.isUserInRole("**")
                + " star=" + request.isUserInRole("*")
                + " auth=" + request.getAuthType()
                + " dispatch=" + request.getDispatcherType()
                + " status=" + request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
    }
}
