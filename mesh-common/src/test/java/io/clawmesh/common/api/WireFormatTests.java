package io.clawmesh.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.HeartbeatResponse;
import io.clawmesh.common.node.NodeFixtures;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleFixtures;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The wire records against the JSON of SPEC §3, with a plain Jackson 3 mapper. */
class WireFormatTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void nodeViewWhenSerializedShouldUseTheSnakeCaseFieldsOfTheSpec() {
        String expected = """
                {"id": "node-3f9c2a1b7e6d5c4a", "name": "mac-mini", "endpoint": "192.168.1.20:9121",
                 "capabilities": {"os": "darwin", "arch": "arm64", "gpu": true, "memory_gb": 32,
                                  "tags": ["xcode", "local"], "skills": ["docker", "nodejs", "xcode"]},
                 "status": "online", "last_heartbeat": "2026-11-23T23:00:00Z",
                 "runtime": {"kind": "openclaw", "version": "2026.9.6", "connected": true},
                 "inflight": 1, "capacity": 4, "registered_at": "2026-11-20T08:00:00Z",
                 "connect": "inbound"}
                """;

        assertThat(tree(this.json.writeValueAsString(NodeFixtures.macMiniView())))
                .isEqualTo(tree(expected));
    }

    @Test
    void nodeViewWhenReadBackShouldEqualTheOriginal() {
        NodeView view = NodeFixtures.macMiniView();

        assertThat(this.json.readValue(this.json.writeValueAsString(view), NodeView.class))
                .isEqualTo(view);
    }

    @Test
    void nodeStatusWhenSerializedShouldBeLowerCase() {
        for (NodeStatus status : NodeStatus.values()) {
            String wire = this.json.writeValueAsString(status);

            assertThat(wire).isEqualTo("\"" + status.name().toLowerCase() + "\"");
            assertThat(this.json.readValue(wire, NodeStatus.class)).isEqualTo(status);
        }
    }

    @Test
    void nodeStatusWhenUpperCaseOnTheWireShouldBeRefused() {
        assertThatExceptionOfType(DatabindException.class)
                .isThrownBy(() -> this.json.readValue("\"ONLINE\"", NodeStatus.class))
                .withMessageContaining("unknown status 'ONLINE'");
    }

    @Test
    void ruleWhenSerializedShouldMatchTheSpecExample() {
        RoutingRule rule = new RoutingRule("rule-1", RuleFixtures.linuxGpuDocker(), "linux-gpu", Strategy.LEAST_BUSY);
        String expected = """
                {"id": "rule-1", "match": {"requires_gpu": true, "requires_os": "linux", "requires_skill": "docker"},
                 "target": "linux-gpu", "strategy": "least-busy"}
                """;

        assertThat(tree(this.json.writeValueAsString(rule))).isEqualTo(tree(expected));
    }

    @Test
    void ruleWhenReadFromTheSpecExampleShouldHaveEveryField() {
        String spec = """
                {"id": "rule-1", "match": {"requires_gpu": true, "requires_os": "linux", "requires_skill": "docker"},
                 "target": "linux-gpu", "strategy": "least-busy"}
                """;

        assertThat(this.json.readValue(spec, RoutingRule.class))
                .isEqualTo(new RoutingRule("rule-1", RuleFixtures.linuxGpuDocker(), "linux-gpu", Strategy.LEAST_BUSY));
    }

    @Test
    void ruleMatchWhenFieldsAbsentShouldNotSerializeThem() {
        assertThat(tree(this.json.writeValueAsString(RuleFixtures.requiresGpu(false))))
                .isEqualTo(tree("{\"requires_gpu\": false}"));
        assertThat(tree(this.json.writeValueAsString(RuleFixtures.empty()))).isEqualTo(tree("{}"));
    }

    @Test
    void ruleMatchWhenEveryFieldSetShouldUseTheSnakeCaseNames() {
        RuleMatch match = new RuleMatch(true, "linux", "docker", null, "amd64", List.of("eu", "fast"), 16);
        String expected = """
                {"requires_gpu": true, "requires_os": "linux", "requires_skill": "docker", "requires_arch": "amd64",
                 "requires_tags": ["eu", "fast"], "min_memory_gb": 16}
                """;

        assertThat(tree(this.json.writeValueAsString(match))).isEqualTo(tree(expected));
        assertThat(this.json.readValue(expected, RuleMatch.class)).isEqualTo(match);
    }

    @Test
    void wildcardRuleWhenSerializedShouldCarryWildcardTrueAndNoTarget() {
        RoutingRule rule = new RoutingRule("rule-2", RuleMatch.any(), null, Strategy.ROUND_ROBIN);

        assertThat(tree(this.json.writeValueAsString(rule)))
                .isEqualTo(
                        tree("{\"id\": \"rule-2\", \"match\": {\"wildcard\": true}, \"strategy\": \"round-robin\"}"));
    }

    @Test
    void wildcardMatchWhenReadShouldBeTheWildcard() {
        RuleRequest request = this.json.readValue("{\"match\": {\"wildcard\": true}}", RuleRequest.class);

        assertThat(request.match()).isNotNull();
        assertThat(request.match().isWildcard()).isTrue();
        assertThat(request.match()).isEqualTo(RuleMatch.any());
    }

    @Test
    void wildcardFalseWhenReadShouldReachTheValidatorAsFalse() {
        JsonMapper strict = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();

        RuleRequest request = strict.readValue("{\"match\": {\"wildcard\": false}}", RuleRequest.class);

        assertThat(request.match()).isEqualTo(RuleFixtures.wildcard(false));
    }

    @Test
    void strategyWhenSerializedShouldUseKebabCase() {
        assertThat(this.json.writeValueAsString(Strategy.LEAST_BUSY)).isEqualTo("\"least-busy\"");
        assertThat(this.json.writeValueAsString(Strategy.ROUND_ROBIN)).isEqualTo("\"round-robin\"");
        assertThat(this.json.readValue("\"weighted\"", Strategy.class)).isEqualTo(Strategy.WEIGHTED);
    }

    @Test
    void registerResponseWhenSerializedShouldUseNodeId() {
        RegisterNodeResponse response = new RegisterNodeResponse("node-3f9c2a1b7e6d5c4a", "cmn_secret");

        assertThat(tree(this.json.writeValueAsString(response)))
                .isEqualTo(tree("{\"node_id\": \"node-3f9c2a1b7e6d5c4a\", \"token\": \"cmn_secret\","
                        + " \"connect\": \"inbound\"}"));
        assertThat(response.toString()).doesNotContain("cmn_secret");
    }

    @Test
    void registerRequestWhenGoAgentSendsItShouldBeRead() {
        String go = """
                {"name": "mac-mini", "endpoint": "192.168.1.20:9121",
                 "capabilities": {"os": "darwin", "arch": "arm64", "gpu": true, "memory_gb": 32,
                                  "tags": ["xcode", "local"], "skills": ["docker", "nodejs", "xcode"]}}
                """;

        RegisterNodeRequest request = this.json.readValue(go, RegisterNodeRequest.class);

        assertThat(request).isEqualTo(new RegisterNodeRequest("mac-mini", "192.168.1.20:9121", NodeFixtures.macMini()));
    }

    @Test
    void registerRequestWhenNodeIdHintGivenShouldReadIt() {
        RegisterNodeRequest request = this.json.readValue(
                "{\"name\": \"a\", \"node_id\": \"node-0000000000000001\"}", RegisterNodeRequest.class);

        assertThat(request.nodeId()).isEqualTo("node-0000000000000001");
    }

    @Test
    void heartbeatWhenOnlyStatusShouldReadTheRestAsAbsent() {
        HeartbeatRequest request = this.json.readValue("{\"status\": \"busy\"}", HeartbeatRequest.class);

        assertThat(request).isEqualTo(new HeartbeatRequest(NodeStatus.BUSY, null, null, null, null));
    }

    @Test
    void heartbeatWhenRenewingTheCertificateShouldCarryTheCsrAndTheReplyTheChain() {
        HeartbeatRequest request =
                this.json.readValue("{\"status\": \"busy\", \"csr\": \"-----BEGIN\"}", HeartbeatRequest.class);

        assertThat(request.csr()).isEqualTo("-----BEGIN");
        assertThat(tree(this.json.writeValueAsString(new HeartbeatResponse(null, "chain"))))
                .isEqualTo(tree("{\"certificate\": \"chain\"}"));
    }

    @Test
    void routeMessagesWhenSerializedShouldUseSnakeCase() {
        assertThat(tree(this.json.writeValueAsString(new RouteRequest("hi", "cli", "s-1"))))
                .isEqualTo(tree("{\"content\": \"hi\", \"source\": \"cli\", \"session_key\": \"s-1\"}"));
        assertThat(tree(this.json.writeValueAsString(new RouteResponse("m-1", "node-1", "mac-mini", "hello"))))
                .isEqualTo(
                        tree(
                                "{\"message_id\": \"m-1\", \"node_id\": \"node-1\", \"node_name\": \"mac-mini\", \"response\": \"hello\"}"));
    }

    private JsonNode tree(String value) {
        return this.json.readTree(value);
    }
}
