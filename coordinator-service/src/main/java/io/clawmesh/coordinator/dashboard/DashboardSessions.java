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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * Caps the dashboard's HTTP sessions: at most {@code mesh.dashboard.max-sessions-per-user} for one user and
 * {@code mesh.dashboard.max-sessions} in all. Only a login creates a session (the API is stateless and the dashboard
 * keeps nothing for an anonymous visitor), so a login that would pass a cap first ends the least recently used
 * session, of the same user for the per-user cap, of anyone for the global one; its browser is sent to the login page
 * on its next request.
 * <p>
 * With sessions in PostgreSQL ({@link SharedSessionConfiguration}) the caps count every replica's sessions: the
 * sessions of a user are found by the repository's principal-name index, all live ones in its table, and the ones
 * ended are deleted there, so they end on every replica. Two logins at the same moment on two replicas may each leave
 * one session too many until the next login.
 */
class DashboardSessions implements HttpSessionListener, HttpSessionIdListener, SessionAuthenticationStrategy {

    private static final Logger logger = LoggerFactory.getLogger(DashboardSessions.class);

    private final Map<String, Tracked> sessions = new ConcurrentHashMap<>();

    private final AtomicLong created = new AtomicLong();

    private final int maxSessions;

    private final int maxSessionsPerUser;

    private final @Nullable FindByIndexNameSessionRepository<? extends Session> shared;

    private final @Nullable JdbcClient jdbc;

    /** Caps Tomcat's own sessions, in memory (one coordinator on H2). */
    DashboardSessions(int maxSessions, int maxSessionsPerUser) {
        this(maxSessions, maxSessionsPerUser, null, null);
    }

    /** Caps the sessions the replicas share in the database, when {@code shared} is given. */
    DashboardSessions(
            int maxSessions,
            int maxSessionsPerUser,
            @Nullable FindByIndexNameSessionRepository<? extends Session> shared,
            @Nullable JdbcClient jdbc) {
        this.maxSessions = maxSessions;
        this.maxSessionsPerUser = maxSessionsPerUser;
        this.shared = shared;
        this.jdbc = jdbc;
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
        if (this.shared != null && this.jdbc != null) {
            endSharedLeastRecentlyUsed(
                    this.shared, this.jdbc, authentication.getName(), (own != null) ? own.getId() : null);
            return;
        }
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

    private void endSharedLeastRecentlyUsed(
            FindByIndexNameSessionRepository<? extends Session> repository,
            JdbcClient jdbc,
            String user,
            @Nullable String own) {
        List<String> ofUser = repository.findByPrincipalName(user).values().stream()
                .filter((session) -> !session.getId().equals(own))
                .sorted(Comparator.comparing(Session::getLastAccessedTime).thenComparing(Session::getCreationTime))
                .map(Session::getId)
                .toList();
        endShared(repository, ofUser, this.maxSessionsPerUser, user);
        List<String> all = jdbc
                .sql("SELECT SESSION_ID FROM SPRING_SESSION WHERE EXPIRY_TIME > ?"
                        + " ORDER BY LAST_ACCESS_TIME, CREATION_TIME, SESSION_ID")
                .param(System.currentTimeMillis())
                .query(String.class)
                .list()
                .stream()
                .filter((id) -> !id.equals(own))
                .toList();
        endShared(repository, all, this.maxSessions, null);
    }

    private static void endShared(
            FindByIndexNameSessionRepository<? extends Session> repository,
            List<String> leastRecentlyUsedFirst,
            int max,
            @Nullable String user) {
        for (int i = 0; i <= leastRecentlyUsedFirst.size() - max; i++) {
            logger.info(
                    "Ending a dashboard session{} least recently used: a login passed the cap of {} sessions",
                    (user != null) ? " of " + user : "",
                    max);
            repository.deleteById(leastRecentlyUsedFirst.get(i));
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
