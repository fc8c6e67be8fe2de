package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.forwarding.FakeAgent;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 12 item 1 over real HTTP: whoever holds the join token (every agent machine has it) must not be able to take
 * over a node's name, and with it the node's traffic. Only the node's own token or the operator token may; the join
 * token gets a name only after its node was removed or evicted. A heartbeat cannot declare its node offline.
 */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class NodeTakeoverIntegrationTests extends ApiIntegrationTestSupport {

    private final List<FakeAgent> agents = new ArrayList<>();

    private String victimEndpoint;

    private String attackerEndpoint;

    private RegisteredNode victim;

    @BeforeEach
    void victimAndAttackerAgents() throws IOException {
        this.victimEndpoint = agent("victim");
        this.attackerEndpoint = agent("attacker");
        this.victim = register("victim", this.victimEndpoint);
    }

    @AfterEach
    void stopAgents() {
        this.agents.forEach(FakeAgent::close);
    }

    @Test
    void takeoverReplayedWithTheJoinTokenShouldBeRefusedAndLeaveTheVictimRoutable() {
        MeshState before = state();

        // (a) the victim's name and endpoint with the join token: used to answer 201 and a new token for its id
        HttpResponse<String> claim = http("POST", ApiFixtures.JOIN_TOKEN, REGISTER, registration(this.victimEndpoint));
        // (b) with whatever (a) gave, declare the node offline: used to answer 204
        String stolen = (claim.statusCode() == 201) ? JsonPath.read(claim.body(), "$.token") : ApiFixtures.JOIN_TOKEN;
        HttpResponse<String> offline = http("POST", stolen, heartbeatPath(), "{\"status\":\"offline\"}");
        // (c) the name again, at the attacker's endpoint: used to answer 201
        HttpResponse<String> takeover =
                http("POST", ApiFixtures.JOIN_TOKEN, REGISTER, registration(this.attackerEndpoint));

        assertThat(assertProblem(claim, 409, "node-name-conflict")).contains("'victim'", "operator token");
        assertThat(offline.statusCode()).as("the join token may not heartbeat").isEqualTo(403);
        assertThat(assertProblem(takeover, 409, "node-name-conflict")).contains("'victim'");
        assertThat(state())
                .as("the victim's row, endpoint and token hash are unchanged")
                .isEqualTo(before);
        assertThat(routeToVictim()).as("routing still reaches the real agent").isEqualTo("answer from victim");
        assertThat(http("POST", this.victim.token(), heartbeatPath(), "{\"status\":\"online\"}")
                        .statusCode())
                .as("the real agent is not locked out")
                .isEqualTo(204);
    }

    @Test
    void heartbeatReportingOfflineShouldAnswer400AndChangeNothing() {
        MeshState before = state();

        HttpResponse<String> response = http("POST", this.victim.token(), heartbeatPath(), "{\"status\":\"offline\"}");

        assertThat(assertProblem(response, 400, "invalid-input")).contains("status 'offline'", "deregister");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void registerWithJoinTokenWhenTheNodeIsOfflineShouldAnswer409AndChangeNothing() {
        this.registry.transition(this.victim.id(), NodeStatus.OFFLINE, "test: lease expired");
        MeshState before = state();

        HttpResponse<String> response =
                http("POST", ApiFixtures.JOIN_TOKEN, REGISTER, registration(this.attackerEndpoint));

        assertProblem(response, 409, "node-name-conflict");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void registerWithNodeTokenOfAnotherNodeShouldAnswer403AndChangeNothing() {
        RegisteredNode other = register("other", this.attackerEndpoint);
        MeshState before = state();

        HttpResponse<String> response = http("POST", other.token(), REGISTER, registration(this.attackerEndpoint));

        assertThat(assertProblem(response, 403, "forbidden")).contains("only register their own node");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void registerWithTheNodesOwnTokenShouldTakeOverItsNameAndRevokeTheOldToken() {
        HttpResponse<String> response =
                http("POST", this.victim.token(), REGISTER, registration(this.attackerEndpoint));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat((String) JsonPath.read(response.body(), "$.node_id")).isEqualTo(this.victim.id());
        assertThat(this.registry.find(this.victim.id()).orElseThrow().endpoint())
                .isEqualTo(this.attackerEndpoint);
        assertThat(http("POST", this.victim.token(), heartbeatPath(), "{\"status\":\"online\"}")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void registerWithOperatorTokenShouldTakeOverTheName() {
        HttpResponse<String> response =
                http("POST", ApiFixtures.OPERATOR_TOKEN, REGISTER, registration(this.attackerEndpoint));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat((String) JsonPath.read(response.body(), "$.node_id")).isEqualTo(this.victim.id());
        assertThat(routeToVictim()).isEqualTo("answer from attacker");
    }

    @Test
    void agentRestartingWithItsSavedTokenShouldGetItsNodeBack() {
        this.registry.transition(this.victim.id(), NodeStatus.OFFLINE, "test: agent was down");

        HttpResponse<String> heartbeat = http("POST", this.victim.token(), heartbeatPath(), "{\"status\":\"online\"}");

        assertThat(heartbeat.statusCode()).isEqualTo(204);
        assertThat(this.registry.find(this.victim.id()).orElseThrow().status()).isEqualTo(NodeStatus.ONLINE);
        assertThat(routeToVictim()).isEqualTo("answer from victim");
    }

    @Test
    void registerWithJoinTokenAfterTheNodeDeregisteredShouldGetTheNameAndItsEarlierId() {
        assertThat(http("DELETE", this.victim.token(), NODES + "/" + this.victim.id(), null)
                        .statusCode())
                .isEqualTo(204);

        HttpResponse<String> response = http(
                "POST",
                ApiFixtures.JOIN_TOKEN,
                REGISTER,
                "{\"name\":\"victim\",\"endpoint\":\"" + this.victimEndpoint + "\",\"node_id\":\"" + this.victim.id()
                        + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat((String) JsonPath.read(response.body(), "$.node_id")).isEqualTo(this.victim.id());
    }

    @Test
    void registerWithJoinTokenAfterTheOperatorRemovedTheNodeShouldGetTheName() {
        assertThat(http("DELETE", ApiFixtures.OPERATOR_TOKEN, NODES + "/victim", null)
                        .statusCode())
                .isEqualTo(204);

        HttpResponse<String> response =
                http("POST", ApiFixtures.JOIN_TOKEN, REGISTER, registration(this.attackerEndpoint));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private String routeToVictim() {
        HttpResponse<String> response =
                http("POST", ApiFixtures.OPERATOR_TOKEN, ROUTE + "/victim", "{\"content\":\"who are you?\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonPath.read(response.body(), "$.response");
    }

    private String heartbeatPath() {
        return NODES + "/" + this.victim.id() + "/heartbeat";
    }

    private static String registration(String endpoint) {
        return "{\"name\":\"victim\",\"endpoint\":\"" + endpoint + "\",\"capabilities\":{\"os\":\"linux\"}}";
    }

    /** An agent on loopback that answers every message with "answer from {name}"; returns its endpoint. */
    private String agent(String name) {
        FakeAgent agent = FakeAgent.start(name);
        this.agents.add(agent);
        return agent.endpoint();
    }
}
