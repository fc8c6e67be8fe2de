package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.JOIN_TOKEN;
import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static io.clawmesh.coordinator.web.ApiFixtures.UNKNOWN_NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The registry API over the real context: register, heartbeat, deregister, list and get (SPEC §3). */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class NodeApiIntegrationTests extends ApiIntegrationTestSupport {

    @Test
    void registerWithJoinTokenShouldAnswer201WithNodeIdTokenAndConnectModeOnly() {
        MvcTestResult result = post(JOIN_TOKEN, REGISTER, ApiFixtures.registration("alpha", "127.0.0.1:19121"));

        assertThat(result).hasStatus(201);
        String body = body(result);
        Map<String, Object> fields = JsonPath.read(body, "$");
        assertThat(fields).containsOnlyKeys("node_id", "token", "connect");
        assertThat(fields).containsEntry("connect", "inbound");
        assertThat((String) JsonPath.read(body, "$.node_id")).matches("node-[0-9a-f]{16}");
        assertThat((String) JsonPath.read(body, "$.token")).matches("cmn_[A-Za-z0-9_-]{43}");
        assertThat(this.registry.all())
                .singleElement()
                .satisfies((node) -> assertThat(node.name()).isEqualTo("alpha"));
    }

    @Test
    void registerWithOperatorTokenShouldAnswer201() {
        MvcTestResult result = post(OPERATOR_TOKEN, REGISTER, ApiFixtures.registration("alpha", "127.0.0.1:19121"));

        assertThat(result).hasStatus(201);
        assertThat(result).bodyJson().extractingPath("$.node_id").asString().startsWith("node-");
    }

    @Test
    void registerShouldStoreOnlyTheHashOfTheToken() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        String stored = this.jdbc.queryForObject("SELECT token_hash FROM nodes WHERE id = ?", String.class, node.id());
        assertThat(stored).matches("[0-9a-f]{64}").doesNotContain(node.token());
    }

    @Test
    void heartbeatWithOwnTokenShouldAnswer204AndUpdateTheNode() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        MvcTestResult result = post(
                node.token(),
                NODES + "/" + node.id() + "/heartbeat",
                Map.of("status", "busy", "inflight", 3, "capacity", 4));

        assertThat(result).hasStatus(204);
        assertThat(body(result)).isEmpty();
        MvcTestResult view = get(OPERATOR_TOKEN, NODES + "/" + node.id());
        assertThat(view).bodyJson().extractingPath("$.status").isEqualTo("busy");
        assertThat(view).bodyJson().extractingPath("$.inflight").isEqualTo(3);
    }

    @Test
    void heartbeatWhenNodeWasRemovedBehindTheCoordinatorsBackShouldAnswer404ThenTheTokenIs401() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");
        // Another replica removed the row; this coordinator still knows the token from its cache.
        this.jdbc.update("DELETE FROM nodes WHERE id = ?", node.id());

        MvcTestResult first =
                post(node.token(), NODES + "/" + node.id() + "/heartbeat", ApiFixtures.heartbeat("online"));
        MvcTestResult second =
                post(node.token(), NODES + "/" + node.id() + "/heartbeat", ApiFixtures.heartbeat("online"));

        assertThat(assertProblem(first, 404, "node-not-found")).contains(node.id());
        assertProblem(second, 401, "unauthorized");
        assertThat(second.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void heartbeatWithTokenOfDeregisteredNodeShouldAnswer401() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");
        assertThat(delete(OPERATOR_TOKEN, NODES + "/" + node.id())).hasStatus(204);

        MvcTestResult result =
                post(node.token(), NODES + "/" + node.id() + "/heartbeat", ApiFixtures.heartbeat("online"));

        assertProblem(result, 401, "unauthorized");
        assertThat(this.registry.all()).isEmpty();
    }

    @Test
    void heartbeatWithOperatorTokenShouldAnswer403() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        MvcTestResult result =
                post(OPERATOR_TOKEN, NODES + "/" + node.id() + "/heartbeat", ApiFixtures.heartbeat("busy"));

        assertProblem(result, 403, "forbidden");
        assertThat(get(OPERATOR_TOKEN, NODES + "/" + node.id()))
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("online");
    }

    @Test
    void deregisterWithOwnNodeTokenShouldAnswer204AndForgetTheNode() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        assertThat(delete(node.token(), NODES + "/" + node.id())).hasStatus(204);

        assertProblem(get(OPERATOR_TOKEN, NODES + "/" + node.id()), 404, "node-not-found");
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM nodes", Integer.class))
                .isZero();
    }

    @Test
    void deregisterWithOperatorTokenShouldAnswer204() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");
        RegisteredNode other = register("beta", "127.0.0.1:19122");

        assertThat(delete(OPERATOR_TOKEN, NODES + "/" + node.id())).hasStatus(204);

        assertThat(this.registry.all())
                .singleElement()
                .satisfies((left) -> assertThat(left.id()).isEqualTo(other.id()));
    }

    @Test
    void deregisterWhenNodeUnknownShouldAnswer404() {
        MvcTestResult result = delete(OPERATOR_TOKEN, NODES + "/" + UNKNOWN_NODE_ID);

        assertThat(assertProblem(result, 404, "node-not-found")).contains(UNKNOWN_NODE_ID);
    }

    @Test
    void listNodesShouldAnswerEveryNodeSortedByNameWithoutTokens() {
        RegisteredNode beta = register("beta", "127.0.0.1:19122");
        RegisteredNode alpha = register("alpha", "127.0.0.1:19121");

        MvcTestResult result = get(OPERATOR_TOKEN, NODES);

        assertThat(result).hasStatus(200);
        String body = body(result);
        assertThat((List<String>) JsonPath.read(body, "$[*].name")).containsExactly("alpha", "beta");
        assertThat((List<String>) JsonPath.read(body, "$[*].id")).containsExactly(alpha.id(), beta.id());
        assertThat(body).doesNotContain(alpha.token(), beta.token(), "token");
    }

    @Test
    void getNodeByIdShouldAnswerTheNodeView() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        MvcTestResult result = get(OPERATOR_TOKEN, NODES + "/" + node.id());

        assertThat(result).hasStatus(200);
        assertThat(result).bodyJson().isLenientlyEqualTo("""
                {"id": "%s", "name": "alpha", "endpoint": "127.0.0.1:19121", "status": "online",
                 "capabilities": {"os": "linux", "arch": "amd64", "gpu": true, "memory_gb": 32,
                                  "tags": ["gpu", "local"], "skills": ["docker"]},
                 "inflight": 0, "capacity": 4}
                """.formatted(node.id()));
    }

    @Test
    void getNodeByNameShouldAnswerTheSameNode() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        MvcTestResult result = get(OPERATOR_TOKEN, NODES + "/alpha");

        assertThat(result).hasStatus(200);
        assertThat(result).bodyJson().extractingPath("$.id").isEqualTo(node.id());
    }

    @Test
    void getNodeWhenUnknownShouldAnswer404() {
        assertThat(assertProblem(get(OPERATOR_TOKEN, NODES + "/nobody"), 404, "node-not-found"))
                .contains("nobody");
    }

    @Test
    void getNodeWithJoinTokenShouldAnswer403() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        assertProblem(get(JOIN_TOKEN, NODES + "/" + node.id()), 403, "forbidden");
    }
}
