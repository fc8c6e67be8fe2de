package io.clawmesh.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * Keeps the dashboard's CSRF token in a cookie while there is no session (the login form: an anonymous visitor must
 * leave nothing on the coordinator) and in the session once there is one. A cookie token is no proof after login:
 * cookies ignore ports and {@code SameSite} counts every port of a host as the same site, so a page on any other port
 * of the host (or a sibling subdomain) can set the cookie to a token it knows and post a form that carries the user's
 * session cookie. A session-bound token cannot be set from outside.
 */
class DashboardCsrfTokenRepository implements CsrfTokenRepository {

    private final CookieCsrfTokenRepository cookie;

    private final HttpSessionCsrfTokenRepository session = new HttpSessionCsrfTokenRepository();

    DashboardCsrfTokenRepository(CookieCsrfTokenRepository cookie) {
        this.cookie = cookie;
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return this.session.generateToken(request);
    }

    @Override
    public void saveToken(@Nullable CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) != null) {
            this.session.saveToken(token, request, response);
            if (token == null) {
                this.cookie.saveToken(null, request, response);
            }
        } else {
            this.cookie.saveToken(token, request, response);
        }
    }

    @Override
    public @Nullable CsrfToken loadToken(HttpServletRequest request) {
        // with a session, never the cookie: whoever can write cookies for this host could have chosen it
        return (request.getSession(false) != null) ? this.session.loadToken(request) : this.cookie.loadToken(request);
    }
}
