package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.common.node.NodeCredentials;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Node token rotation through the heartbeat reply over real HTTP (ADR 0014): a heartbeat after the interval (6 s here)
 * gets a new token, the old one works until the new one is used and for the overlap (4 s) after, and not later; a lost
 * reply gets a fresh token and the one lost stops working.
 */
@TestPropertySource(
        properties = {
            "mesh.security.node-token.rotation=6s",
            "mesh.security.node-token.overlap=4s",
            "mesh.security.allow-private=true"
        })
class NodeTokenRotationIntegrationTests extends ApiIntegrationTestSupport {

    private static final String ALIVE = "{\"status\":\"online\"}";

    private HttpResponse<String> heartbeat(String token, String nodeId) {
        return http("POST", token, NODES + "/" + nodeId + "/heartbeat", ALIVE);
    }

    private String storedHash(String nodeId) {
        return this.jdbc.queryForObject("SELECT token_hash FROM nodes WHERE id = ?", String.class, nodeId);
    }

    @Test
    void heartbeatAfterTheIntervalShouldRotateTheTokenWithAnOverlapAndRefuseTheOldOneAfterIt() {
        RegisteredNode node = register("rotating", "127.0.0.1:9121");
        RegisteredNode other = register("bystander", "127.0.0.1:9122");
        assertThat(heartbeat(node.token(), node.id()).statusCode()).isEqualTo(204);

        // heartbeats before the interval are 204 without a body; the first one after it is 200 with a new token
        AtomicReference<HttpResponse<String>> reply = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    HttpResponse<String> response = heartbeat(node.token(), node.id());
                    assertThat(response.statusCode()).isIn(200, 204);
                    reply.set(response);
                    return response.statusCode() == 200;
                });
        String lost = JsonPath.read(reply.get().body(), "$.node_token");
        assertThat(lost).startsWith("cmn_").isNotEqualTo(node.token());
        assertThat(this.jdbc.queryForList("SELECT pending_hash FROM node_token_rotations", String.class))
                .as("only hashes are stored")
                .contains(NodeCredentials.hash(lost))
                .doesNotContain(lost);

        // the agent never stored that reply and heartbeats with the old token: a fresh token, the lost one is void
        HttpResponse<String> again = heartbeat(node.token(), node.id());
        assertThat(again.statusCode()).isEqualTo(200);
        String fresh = JsonPath.read(again.body(), "$.node_token");
        assertThat(fresh).isNotEqualTo(lost);
        assertProblem(heartbeat(lost, node.id()), 401, "unauthorized");
        assertThat(storedHash(node.id())).isEqualTo(NodeCredentials.hash(node.token()));

        // the first use of the new token makes it the node's token; the old one still works within the overlap
        assertThat(heartbeat(fresh, node.id()).statusCode()).isEqualTo(204);
        assertThat(storedHash(node.id())).isEqualTo(NodeCredentials.hash(fresh));
        assertThat(heartbeat(node.token(), node.id()).statusCode()).isEqualTo(204);
        assertProblem(heartbeat(node.token(), other.id()), 403, "forbidden");

        // a stolen old token after the overlap: 401, on heartbeats and on the node's outbound connection alike
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> heartbeat(node.token(), node.id()).statusCode() == 401);
        assertProblem(heartbeat(node.token(), node.id()), 401, "unauthorized");
        assertProblem(http("GET", node.token(), NODES + "/" + node.id() + "/connect", null), 401, "unauthorized");
        assertThat(heartbeat(fresh, node.id()).statusCode()).isIn(200, 204);
        assertThat(heartbeat(other.token(), other.id()).statusCode()).isIn(200, 204);

        String audit = http("GET", ApiFixtures.OPERATOR_TOKEN, "/api/v1/audit?action=node.token_rotate", null)
                .body();
        assertThat(JsonPath.<List<String>>read(audit, "$.entries[*].actor")).contains("node:" + node.id());
        assertThat(JsonPath.<List<String>>read(audit, "$.entries[*].target")).contains("rotating");
        assertThat(audit).doesNotContain(fresh, node.token(), lost);
    }

    @Test
    void heartbeatReplyWithoutRotationShouldStay204WithoutABody() {
        RegisteredNode node = register("quiet", "127.0.0.1:9123");

        HttpResponse<String> response = heartbeat(node.token(), node.id());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }
}
