package io.clawmesh.coordinator.dashboard;

import java.time.Duration;
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
 */
@ConfigurationProperties("mesh.dashboard")
public record DashboardProperties(
        @DefaultValue("true") boolean operatorLogin,
        @DefaultValue Map<String, String> users,
        @DefaultValue("10") int recentMessages,
        @DefaultValue("10s") Duration liveRefresh) {}
