package io.clawmesh.coordinator.dashboard;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.registry.Node;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
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

    static NodeRow row(String name, NodeStatus status) {
        return NodeRow.of(node(name, status), 0, NOW);
    }

    /**
     * What every dashboard slice test needs besides its controller: the dashboard's security and properties (the
     * application class brings the clock).
     */
    @TestConfiguration(proxyBeanMethods = false)
    @Import(DashboardSecurityConfiguration.class)
    @EnableConfigurationProperties(DashboardProperties.class)
    static class SliceConfiguration {}
}
