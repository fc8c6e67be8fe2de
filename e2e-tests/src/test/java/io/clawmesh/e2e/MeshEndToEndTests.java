package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The mesh as a user runs it: one coordinator and three agents as separate JVMs on random loopback ports, talking real
 * HTTP. The numbered steps of the mesh-core issue run in order on the same processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshEndToEndTests {

    private MeshCluster cluster;

    private MeshProcess coordinator;

    private final Map<String, MeshProcess> agents = new ConcurrentHashMap<>();

    private final Map<String, Integer> agentPorts = new ConcurrentHashMap<>();

    private RestClient api;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.cluster = new MeshCluster(workDir);
        int coordinatorPort = MeshCluster.freePort();
        this.coordinator = this.cluster.startCoordinator(coordinatorPort);
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        startAgent("mac-mini", "mac,local", Map.of("xcodebuild", "exit 0"));
        startAgent("linux-gpu", "gpu-box", Map.of("nvidia-smi", "echo 'GPU 0: Fake GPU (UUID: GPU-0)'"));
        startAgent("vps", "vps,public", Map.of());
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    @Order(1)
    void threeAgentsRegisterAndAreListedWithCapabilities() {
        Map<String, NodeView> nodes = awaitNodes(3);
        assertThat(nodes).containsOnlyKeys("mac-mini", "linux-gpu", "vps");
        assertThat(nodes.values()).allSatisfy((node) -> {
            assertThat(node.status()).isEqualTo(NodeStatus.ONLINE);
            assertThat(node.capabilities().os()).isEqualTo("linux");
            assertThat(node.capabilities().memoryGb()).isPositive();
            assertThat(node.runtime().kind()).isEqualTo("echo");
            assertThat(node.capacity()).isEqualTo(8);
        });
        assertThat(nodes.get("linux-gpu").capabilities().gpu()).isTrue();
        assertThat(nodes.get("mac-mini").capabilities().gpu()).isFalse();
        assertThat(nodes.get("mac-mini").capabilities().skills()).contains("xcode");
        assertThat(nodes.get("mac-mini").capabilities().tags()).containsExactly("mac", "local");
        assertThat(nodes.get("vps").capabilities().tags()).containsExactly("vps", "public");
    }

    @Test
    @Order(2)
    void rulesOnGpuOsSkillAndTagSendMessagesWhereTheySay() {
        RoutingRule gpu = addRule(new RuleMatch(true, null, null, null, null, null, null), null);
        assertThat(sendTimes(10)).containsOnlyKeys("linux-gpu");
        deleteRule(gpu);

        RoutingRule skill = addRule(new RuleMatch(null, null, "xcode", null, null, null, null), null);
        assertThat(sendTimes(10)).containsOnlyKeys("mac-mini");
        deleteRule(skill);

        RoutingRule darwin = addRule(new RuleMatch(null, "darwin", null, null, null, null, null), null);
        RoutingRule tag = addRule(new RuleMatch(null, null, null, null, null, List.of("vps"), null), null);
        assertThat(sendTimes(10))
                .as("no darwin node: the next rule, on a tag, wins")
                .containsOnlyKeys("vps");
        deleteRule(tag);

        RoutingRule linuxTarget = addRule(new RuleMatch(null, "linux", null, null, null, null, null), "mac-mini");
        assertThat(sendTimes(10)).as("os rule narrowed by its target").containsOnlyKeys("mac-mini");
        deleteRule(linuxTarget);
        deleteRule(darwin);
        assertThat(rules()).isEmpty();

        RouteResponse explicit = this.api
                .post()
                .uri(ApiPaths.ROUTE + "/vps")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest("to the vps"))
                .retrieve()
                .body(RouteResponse.class);
        assertThat(explicit.nodeName()).isEqualTo("vps");
        assertThat(explicit.response()).isEqualTo("[claw-mesh echo] to the vps");
    }

    @Test
    @Order(3)
    void threeHundredMessagesSpreadOverThreeEqualNodes() throws Exception {
        Map<String, Integer> served =
                sendConcurrently(300, 8, Function.identity()).served();
        assertThat(served.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        assertThat(served).containsOnlyKeys("mac-mini", "linux-gpu", "vps");
        assertThat(served.values())
                .as("share of each node in %s", served)
                .allSatisfy((count) -> assertThat(count).isBetween(60, 141));
    }

    @Test
    @Order(4)
    void killedAgentWhileMessagesFlowLosesNothingAndShowsOffline() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger sent = new AtomicInteger();
            Future<Delivery> flow = background.submit(() -> sendConcurrently(400, 8, (i) -> {
                sent.incrementAndGet();
                return i;
            }));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= 100);
            this.agents.get("vps").kill();
            Delivery delivery = flow.get();
            assertThat(delivery.failures()).as("failed requests").isEmpty();
            assertThat(delivery.messageIds())
                    .as("every message answered exactly once")
                    .hasSize(400);
            assertThat(delivery.served().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum())
                    .isEqualTo(400);
        } finally {
            background.shutdownNow();
        }
        Awaitility.await("vps shown offline")
                .atMost(Duration.ofSeconds(12))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nodes().get("vps").status() == NodeStatus.OFFLINE);
        assertThat(sendTimes(30)).as("no message goes to the dead node").doesNotContainKey("vps");
    }

    @Test
    @Order(5)
    void restartedAgentComesBackAsTheSameNodeWithoutDuplicate() throws Exception {
        String idBefore = nodes().get("vps").id();
        startAgent("vps", "vps,public", Map.of());
        Awaitility.await("vps back online")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nodes().get("vps").status() == NodeStatus.ONLINE);
        Map<String, NodeView> nodes = nodes();
        assertThat(nodes).hasSize(3);
        assertThat(nodes.get("vps").id()).isEqualTo(idBefore);
    }

    @Test
    @Order(6)
    void coordinatorRestartKeepsNodesTokensAndRulesAndRoutesAtOnce() throws Exception {
        RoutingRule rule = addRule(new RuleMatch(null, null, null, null, null, List.of("gpu-box"), null), null);
        Map<String, String> idsBefore = ids(nodes());
        Map<String, String> identitiesBefore = identities();
        this.coordinator.stop();
        this.coordinator = this.cluster.startCoordinator(this.coordinator.port());

        RouteResponse first = this.api
                .post()
                .uri(ApiPaths.ROUTE)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest("right after the restart"))
                .retrieve()
                .body(RouteResponse.class);
        assertThat(first.nodeName())
                .as("the rule survived and routing works at once")
                .isEqualTo("linux-gpu");
        assertThat(rules()).containsExactly(rule);
        assertThat(ids(nodes())).isEqualTo(idsBefore);

        Awaitility.await("heartbeats resume")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> nodes().values().stream()
                        .allMatch((node) -> node.status() == NodeStatus.ONLINE
                                && node.lastHeartbeat() != null
                                && node.lastHeartbeat()
                                        .isAfter(java.time.Instant.now().minusSeconds(3))));
        assertThat(identities())
                .as("agents kept their node tokens: nobody registered again")
                .isEqualTo(identitiesBefore);
        deleteRule(rule);
    }

    private void startAgent(String name, String tags, Map<String, String> fakeTools) throws Exception {
        int port = this.agentPorts.computeIfAbsent(name, (n) -> {
            try {
                return MeshCluster.freePort();
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        this.agents.put(name, this.cluster.startAgent(name, port, this.coordinator.port(), tags, fakeTools));
    }

    private Map<String, String> identities() throws java.io.IOException {
        Map<String, String> identities = new java.util.TreeMap<>();
        for (String name : List.of("mac-mini", "linux-gpu", "vps")) {
            identities.put(name, Files.readString(this.cluster.identityFile(name)));
        }
        return identities;
    }

    private Map<String, NodeView> awaitNodes(int count) {
        Awaitility.await(count + " nodes registered")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> nodes().size() == count);
        return nodes();
    }

    private Map<String, NodeView> nodes() {
        NodeView[] nodes = this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class);
        return java.util.Arrays.stream(nodes).collect(Collectors.toMap(NodeView::name, Function.identity()));
    }

    private static Map<String, String> ids(Map<String, NodeView> nodes) {
        return nodes.values().stream().collect(Collectors.toMap(NodeView::name, NodeView::id));
    }

    private List<RoutingRule> rules() {
        return List.of(this.api.get().uri(ApiPaths.RULES).retrieve().body(RoutingRule[].class));
    }

    private RoutingRule addRule(RuleMatch match, String target) {
        return this.api
                .post()
                .uri(ApiPaths.RULES)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RuleRequest(match, target, Strategy.LEAST_BUSY))
                .retrieve()
                .body(RoutingRule.class);
    }

    private void deleteRule(RoutingRule rule) {
        this.api.delete().uri(ApiPaths.RULES + "/" + rule.id()).retrieve().toBodilessEntity();
    }

    private Map<String, Integer> sendTimes(int count) {
        Map<String, Integer> served = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            RouteResponse response = this.api
                    .post()
                    .uri(ApiPaths.ROUTE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new RouteRequest("message " + i))
                    .retrieve()
                    .body(RouteResponse.class);
            assertThat(response.response()).isEqualTo("[claw-mesh echo] message " + i);
            served.merge(response.nodeName(), 1, Integer::sum);
        }
        return served;
    }

    private Delivery sendConcurrently(int count, int concurrency, Function<Integer, Integer> beforeEach)
            throws Exception {
        Map<String, Integer> served = new ConcurrentHashMap<>();
        Set<String> messageIds = ConcurrentHashMap.newKeySet();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService workers = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                futures.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        beforeEach.apply(i);
                        String content = "load " + i;
                        try {
                            RouteResponse response = this.api
                                    .post()
                                    .uri(ApiPaths.ROUTE)
                                    .contentType(MediaType.APPLICATION_JSON)
                                    .body(new RouteRequest(content))
                                    .retrieve()
                                    .body(RouteResponse.class);
                            if (!("[claw-mesh echo] " + content).equals(response.response())) {
                                failures.add(content + " answered " + response.response());
                            }
                            messageIds.add(response.messageId());
                            served.merge(response.nodeName(), 1, Integer::sum);
                        } catch (RuntimeException ex) {
                            failures.add(content + ": " + ex.getMessage());
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return new Delivery(served, messageIds, failures);
    }

    private record Delivery(Map<String, Integer> served, Set<String> messageIds, List<String> failures) {}
}
