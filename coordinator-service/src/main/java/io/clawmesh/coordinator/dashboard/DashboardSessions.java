package io.clawmesh.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * Caps the dashboard's HTTP sessions: at most {@code mesh.dashboard.max-sessions-per-user} for one user and
 * {@code mesh.dashboard.max-sessions} in all. Only a login creates a session (the API is stateless and the dashboard
 * keeps nothing for an anonymous visitor), so a login that would pass a cap first ends the least recently used
 * session, of the same user for the per-user cap, of anyone for the global one; its browser is sent to the login page
 * on its next request.
 */
class DashboardSessions implements HttpSessionListener, HttpSessionIdListener, SessionAuthenticationStrategy {

    private static final Logger logger = LoggerFactory.getLogger(DashboardSessions.class);

    private final Map<String, Tracked> sessions = new ConcurrentHashMap<>();

    private final AtomicLong created = new AtomicLong();

    private final int maxSessions;

    private final int maxSessionsPerUser;

    DashboardSessions(int maxSessions, int maxSessionsPerUser) {
        this.maxSessions = maxSessions;
        this.maxSessionsPerUser = maxSessionsPerUser;
    }

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        this.sessions.put(event.getSession().getId(), new Tracked(event.getSession(), this.created.incrementAndGet()));
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        this.sessions.remove(event.getSession().getId());
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
        Tracked tracked = this.sessions.remove(oldSessionId);
        this.sessions.put(
                event.getSession().getId(),
                new Tracked(event.getSession(), (tracked != null) ? tracked.order() : this.created.incrementAndGet()));
    }

    /** Makes room for the session this login is about to get. */
    @Override
    public synchronized void onAuthentication(
            Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
        HttpSession own = request.getSession(false);
        Predicate<Tracked> others = (tracked) -> own == null || !tracked.id().equals(own.getId());
        String user = authentication.getName();
        endLeastRecentlyUsed(others.and((tracked) -> user.equals(userOf(tracked.session()))), this.maxSessionsPerUser);
        endLeastRecentlyUsed(others, this.maxSessions);
    }

    private void endLeastRecentlyUsed(Predicate<Tracked> counted, int max) {
        List<Tracked> candidates = this.sessions.values().stream()
                .filter(counted)
                .sorted(Comparator.comparingLong(Tracked::lastAccessed).thenComparingLong(Tracked::order))
                .toList();
        for (int i = 0; i <= candidates.size() - max; i++) {
            Tracked tracked = candidates.get(i);
            logger.info(
                    "Ending the dashboard session of {} least recently used: a login passed the cap of {} sessions",
                    userOf(tracked.session()),
                    max);
            this.sessions.remove(tracked.id());
            try {
                tracked.session().invalidate();
            } catch (IllegalStateException alreadyEnded) {
                // it ended on its own meanwhile
            }
        }
    }

    private static @Nullable String userOf(HttpSession session) {
        try {
            Object context = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
            return (context instanceof SecurityContext security && security.getAuthentication() != null)
                    ? Objects.requireNonNull(security.getAuthentication()).getName()
                    : null;
        } catch (IllegalStateException ended) {
            return null;
        }
    }

    /** A session with the order it was created in, which breaks ties of its last-access time (milliseconds). */
    private record Tracked(HttpSession session, long order) {

        String id() {
            return this.session.getId();
        }

        long lastAccessed() {
            try {
                return this.session.getLastAccessedTime();
            } catch (IllegalStateException ended) {
                return Long.MIN_VALUE;
            }
        }
    }
}
