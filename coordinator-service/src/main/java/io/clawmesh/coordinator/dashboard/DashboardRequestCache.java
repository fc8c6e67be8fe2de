package io.clawmesh.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Remembers the page a user asked for before logging in, so the login leads back to it; never a background request of
 * the page script (a fragment or the event stream), which is no page to land on. The page's path is kept in the
 * browser (an {@code HttpOnly}, {@code SameSite=Strict} cookie holding a relative path), not in an HTTP session:
 * an anonymous request must leave nothing behind on the coordinator.
 */
class DashboardRequestCache extends CookieRequestCache {

    DashboardRequestCache(RequestMatcher background) {
        setRequestMatcher(new NegatedRequestMatcher(background));
        setCookieCustomizer((cookie) -> cookie.setAttribute("SameSite", "Strict"));
    }

    @Override
    public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
        if ("GET".equals(request.getMethod())) {
            super.saveRequest(request, response);
        }
    }
}
