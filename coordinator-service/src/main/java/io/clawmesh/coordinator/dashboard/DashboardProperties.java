package io.clawmesh.coordinator.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dashboard settings ({@code mesh.dashboard.*}).
 *
 * @param operatorLogin whether the user {@code operator} may log in with the operator token as the password
 * @param users further users: name to password hash in Spring Security's {@code {id}hash} form, such as
 *     {@code {bcrypt}$2a$10$...} ({@code {noop}secret} works but keeps the password in clear text)
 * @param recentMessages how many recent messages the overview and node pages list
 * @param liveRefresh how often an open page fetches its live parts again even without events (heartbeat ages, load)
 * @param maxSessions the most dashboard sessions at once; a login beyond it ends the least recently used session
 * @param maxSessionsPerUser the most sessions of one user; a login beyond it ends that user's least recently used one
 * @param trustedProxies addresses or CIDR ranges of the reverse proxies whose {@code X-Forwarded-For} the login
 *     throttle believes; none by default, so the header never counts
 */
@ConfigurationProperties("mesh.dashboard")
public record DashboardProperties(
        @DefaultValue("true") boolean operatorLogin,
        @DefaultValue Map<String, String> users,
        @DefaultValue("10") int recentMessages,
        @DefaultValue("10s") Duration liveRefresh,
        @DefaultValue("100") int maxSessions,
        @DefaultValue("5") int maxSessionsPerUser,
        @DefaultValue List<String> trustedProxies) {

    public DashboardProperties {
        if (maxSessions < 1 || maxSessionsPerUser < 1) {
            throw new IllegalArgumentException(
                    "mesh.dashboard.max-sessions and mesh.dashboard.max-sessions-per-user must be at least 1");
        }
        trustedProxies = List.copyOf(trustedProxies);
    }
}
