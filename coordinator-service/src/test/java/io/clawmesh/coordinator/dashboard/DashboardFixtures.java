package io.clawmesh.coordinator.dashboard;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.audit.AuditRepository;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.tasks.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Shared pieces of the dashboard tests: a logged-in user, nodes, and the slice configuration. */
final class DashboardFixtures {

    static final String OPERATOR_TOKEN = "slice-operator-token-5f1c2b";

    static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");

    private DashboardFixtures() {}

    /** A request made by a logged-in dashboard user. */
    static RequestPostProcessor operator() {
        return user("operator").authorities(() -> DashboardAuthenticationProvider.ROLE);
    }

    static Node node(String name, NodeStatus status) {
        return new Node(
                "node-" + name,
                name,
                "127.0.0.1:9121",
                new Capabilities("linux", "amd64", true, 32, List.of("gpu", "local"), List.of("docker")),
                status,
                NOW.minusSeconds(12),
                RuntimeInfo.echo(),
                1,
                4,
                "hash-" + name,
                NOW.minusSeconds(3600),
                NOW.minusSeconds(60));
    }

    /** A task created a minute before {@link #NOW}; one that ran started 50 s before it and ended 40 s before it. */
    static Task task(String id, TaskStatus status, String content, @Nullable String response, @Nullable String error) {
        boolean started = status == TaskStatus.RUNNING
                || status == TaskStatus.SUCCEEDED
                || status == TaskStatus.FAILED
                || status == TaskStatus.TIMED_OUT;
        return new Task(
                1,
                id,
                status,
                5,
                content,
                "dashboard:operator",
                null,
                null,
                null,
                Duration.ofMinutes(30),
                null,
                null,
                (status == TaskStatus.QUEUED) ? null : "node-mac-mini",
                (status == TaskStatus.QUEUED) ? null : "mac-mini",
                (status == TaskStatus.QUEUED) ? 0 : 1,
                NOW.minusSeconds(60),
                started ? NOW.minusSeconds(50) : null,
                status.finished() ? NOW.minusSeconds(40) : null,
                response,
                error,
                null);
    }

    /** A row whose load is what the node last reported (nothing sent since its heartbeat). */
    static NodeRow row(String name, NodeStatus status) {
        Node node = node(name, status);
        return NodeRow.of(node, node.reportedInflight(), NOW);
    }

    /**
     * What every dashboard slice test needs besides its controller: the dashboard's security and properties (the
     * application class brings the clock).
     */
    @TestConfiguration(proxyBeanMethods = false)
    @Import(DashboardSecurityConfiguration.class)
    @EnableConfigurationProperties(DashboardProperties.class)
    static class SliceConfiguration {

        /** The database the slice's dashboard beans share (login throttling, session caps, audit): in-memory H2. */
        private final TestDatabase database = TestDatabase.h2();

        @Bean
        DataSource dataSource() {
            return this.database.dataSource();
        }

        @Bean
        JdbcClient jdbcClient() {
            return this.database.jdbcClient();
        }

        @Bean
        AuditTrail auditTrail() {
            return new AuditTrail(new AuditRepository(this.database.jdbcClient()));
        }
    }

    /** An audit trail on an in-memory H2 database of its own (kept until the JVM exits). */
    static AuditTrail auditTrail() {
        return new AuditTrail(new AuditRepository(TestDatabase.h2().jdbcClient()));
    }
}
