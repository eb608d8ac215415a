package org.jwtgate.legacy.secured;

import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Protected by an annotation instead of web.xml: admins only, on every method. */
@WebServlet("/annotated/*")
@ServletSecurity(@HttpConstraint(rolesAllowed = "admin"))
public class AnnotatedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WhoAmIServlet.answer(request, response);
    }
}
