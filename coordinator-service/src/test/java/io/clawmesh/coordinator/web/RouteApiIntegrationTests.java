package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static io.clawmesh.coordinator.web.ApiFixtures.UNKNOWN_NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.NodeStatus;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The routing API where it answers without a node agent (no route, unknown or offline target), and the open
 * operations endpoints. Delivery to live agents is covered end to end.
 */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class RouteApiIntegrationTests extends ApiIntegrationTestSupport {

    @Test
    void routeWhenNoNodeIsRegisteredShouldAnswer503SayingHowToJoinOne() {
        MvcTestResult result = post(OPERATOR_TOKEN, ROUTE, ApiFixtures.route("hello"));

        assertThat(assertProblem(result, 503, "no-route")).contains("no nodes are registered", "claw-mesh join");
        assertThat(this.messageLog.recent(1000))
                .filteredOn((record) -> record.status() == 503)
                .as("the refused message is logged")
                .hasSize(1);
    }

    @Test
    void routeWhenEveryNodeIsOfflineShouldAnswer503CountingThem() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");
        // a heartbeat can no longer declare its node offline (issue 12): the lease sweep does, as here
        this.registry.transition(node.id(), NodeStatus.OFFLINE, "test: lease expired");

        MvcTestResult result = post(OPERATOR_TOKEN, ROUTE, ApiFixtures.route("hello"));

        assertThat(assertProblem(result, 503, "no-route")).contains("none of the 1 registered nodes", "1 offline");
    }

    @Test
    void routeToUnknownNodeShouldAnswer404() {
        register("alpha", "127.0.0.1:19121");

        MvcTestResult result = post(OPERATOR_TOKEN, ROUTE + "/" + UNKNOWN_NODE_ID, ApiFixtures.route("hello"));

        assertThat(assertProblem(result, 404, "node-not-found")).contains(UNKNOWN_NODE_ID);
    }

    @Test
    void routeToOfflineNodeShouldAnswer503NamingTheNode() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");
        // a heartbeat can no longer declare its node offline (issue 12): the lease sweep does, as here
        this.registry.transition(node.id(), NodeStatus.OFFLINE, "test: lease expired");

        MvcTestResult byName = post(OPERATOR_TOKEN, ROUTE + "/alpha", ApiFixtures.route("hello"));
        MvcTestResult byId = post(OPERATOR_TOKEN, ROUTE + "/" + node.id(), ApiFixtures.route("hello"));

        assertThat(assertProblem(byName, 503, "node-unavailable")).contains("alpha", node.id(), "offline");
        assertThat(assertProblem(byId, 503, "node-unavailable")).contains("offline");
    }

    @Test
    void routeWhenTheOnlyNodeIsDegradedShouldSkipItButTryItAsAnExplicitTarget() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");
        assertThat(post(node.token(), NODES + "/" + node.id() + "/heartbeat", ApiFixtures.heartbeat("degraded")))
                .hasStatus(204);

        MvcTestResult automatic = post(OPERATOR_TOKEN, ROUTE, ApiFixtures.route("hello"));
        MvcTestResult explicit = post(OPERATOR_TOKEN, ROUTE + "/alpha", ApiFixtures.route("hello"));

        assertThat(assertProblem(automatic, 503, "no-route"))
                .contains("1 degraded", "degraded nodes have no connected AI runtime and can still be targeted");
        assertThat(assertProblem(explicit, 502, "forwarding-failed"))
                .as("the degraded node was tried (nothing listens on its endpoint here)")
                .contains("alpha");
    }

    @Test
    void healthShouldBeOpenWithoutAToken() {
        MvcTestResult result = this.mvc.get().uri("/actuator/health").exchange();

        assertThat(result).hasStatus(200);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("UP");
    }

    @Test
    void livenessAndReadinessProbesShouldBeOpen() {
        assertThat(this.mvc.get().uri("/actuator/health/liveness")).hasStatus(200);
        assertThat(this.mvc.get().uri("/actuator/health/readiness")).hasStatus(200);
    }

    @Test
    void prometheusShouldAnswerPrometheusText() {
        MvcTestResult result = this.mvc.get().uri("/actuator/prometheus").exchange();

        assertThat(result).hasStatus(200);
        assertThat(result).hasContentTypeCompatibleWith(MediaType.TEXT_PLAIN);
        assertThat(result).bodyText().contains("# HELP ", "# TYPE ", "jvm_memory_used_bytes");
    }
}
