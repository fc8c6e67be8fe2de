package io.clawmesh.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Remembers the page a user asked for before logging in, so the login leads back to it; never a background request of
 * the page script (a fragment or the event stream), which is no page to land on.
 */
class DashboardRequestCache extends HttpSessionRequestCache {

    DashboardRequestCache(RequestMatcher background) {
        setRequestMatcher(new NegatedRequestMatcher(background));
        // Land on the page as it was asked for, not on "?continue" (the marker Spring Security adds by default).
        setMatchingRequestParameterName(null);
    }

    @Override
    public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
        if ("GET".equals(request.getMethod())) {
            super.saveRequest(request, response);
        }
    }
}
