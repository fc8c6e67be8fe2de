package io.clawmesh.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Answers a refused dashboard request with 403 and a page that says what to do. The usual cause is a form whose CSRF
 * token no longer matches: the session ended (a restart, a timeout, a logout in another tab) or the page is old.
 */
class DashboardAccessDeniedHandler implements AccessDeniedHandler {

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Refused · claw-mesh</title><link rel="stylesheet" href="%s/dashboard/assets/dashboard.css"></head>
            <body class="login-page"><main id="main" class="login-card">
            <h1>Refused</h1>
            <p class="flash error" role="alert">%s</p>
            <p><a href="%s/dashboard">Back to the dashboard</a></p>
            </main></body></html>
            """;

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        String reason = (ex instanceof CsrfException)
                ? "This form has expired: the session ended or the page is old. Nothing was changed. "
                        + "Open the page again (you may have to log in) and repeat what you did."
                : "You may not do that.";
        String context = request.getContextPath();
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/html;charset=UTF-8");
        response.getOutputStream()
                .write(PAGE.formatted(context, reason, context).getBytes(StandardCharsets.UTF_8));
    }
}
