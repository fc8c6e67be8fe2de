package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.coordinator.messages.MessageLog;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.routing.RoutingRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The whole coordinator over a real H2 database in a per-class temp dir, with the real security chain and problem
 * handler. Background probes and sweeps are pushed out of the way so that only the requests of a test change state.
 * The context is closed after each class, before JUnit deletes the class's temp dir, so no database file outlives it.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + ApiFixtures.OPERATOR_TOKEN,
            "mesh.security.join-token=" + ApiFixtures.JOIN_TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.health.heartbeat-timeout=1h",
            "mesh.registry.full-refresh=1h"
        })
@AutoConfigureMockMvc
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
abstract class ApiIntegrationTestSupport {

    static final String NODES = "/api/v1/nodes";

    static final String REGISTER = "/api/v1/nodes/register";

    static final String RULES = "/api/v1/rules";

    static final String ROUTE = "/api/v1/route";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    NodeRegistry registry;

    @Autowired
    RoutingRules rules;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MessageLog messageLog;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @BeforeEach
    void startFromAnEmptyMesh() {
        for (Node node : List.copyOf(this.registry.all())) {
            this.registry.deregister(node.id(), "test reset");
        }
        for (RoutingRule rule : this.rules.list()) {
            this.rules.delete(rule.id());
        }
        // records of the previous test may still be buffered: write them first, or they land after the delete
        this.messageLog.flush();
        this.jdbc.update("DELETE FROM message_log");
    }

    MvcTestResult get(@Nullable String token, String path) {
        return authorized(this.mvc.get().uri(path), token).exchange();
    }

    MvcTestResult delete(@Nullable String token, String path) {
        return authorized(this.mvc.delete().uri(path), token).exchange();
    }

    MvcTestResult post(@Nullable String token, String path, Object body) {
        return authorized(this.mvc.post().uri(path), token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(ApiFixtures.json(body))
                .exchange();
    }

    MvcTestResult put(@Nullable String token, String path, Object body) {
        return authorized(this.mvc.put().uri(path), token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(ApiFixtures.json(body))
                .exchange();
    }

    /** Sends {@code json} over real HTTP to this coordinator, as an attacker on the network would. */
    HttpResponse<String> http(String method, @Nullable String token, String path, @Nullable String json) {
        return http(method, token, path, json, Map.of());
    }

    /** As {@link #http(String, String, String, String)}, with extra request headers. */
    HttpResponse<String> http(
            String method, @Nullable String token, String path, @Nullable String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody());
        if (json != null) {
            request.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
        }
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Asserts a problem answer received over real HTTP and returns its detail. */
    static String assertProblem(HttpResponse<String> response, int status, String slug) {
        return assertProblem(
                response.statusCode(),
                response.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse(null),
                response.body(),
                status,
                slug);
    }

    static MockMvcRequestBuilder authorized(MockMvcRequestBuilder request, @Nullable String token) {
        return (token != null) ? request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token) : request;
    }

    /** Registers a node with the join token, as an agent does. */
    RegisteredNode register(String name, String endpoint) {
        return register(ApiFixtures.registration(name, endpoint));
    }

    RegisteredNode register(Map<String, Object> registration) {
        MvcTestResult result = post(ApiFixtures.JOIN_TOKEN, REGISTER, registration);
        assertThat(result).hasStatus(201);
        String body = body(result);
        return new RegisteredNode(JsonPath.read(body, "$.node_id"), JsonPath.read(body, "$.token"));
    }

    String addRule(Map<String, Object> rule) {
        MvcTestResult result = post(ApiFixtures.OPERATOR_TOKEN, RULES, rule);
        assertThat(result).hasStatus(201);
        return JsonPath.read(body(result), "$.id");
    }

    List<String> ruleIds() {
        MvcTestResult result = get(ApiFixtures.OPERATOR_TOKEN, RULES);
        assertThat(result).hasStatus(200);
        return JsonPath.read(body(result), "$[*].id");
    }

    static String body(MvcTestResult result) {
        return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
    }

    /** Asserts an RFC 9457 problem of type {@code urn:clawmesh:problem:<slug>} and returns its detail. */
    static String assertProblem(MvcTestResult result, int status, String slug) {
        return assertProblem(
                result.getResponse().getStatus(), result.getResponse().getContentType(), body(result), status, slug);
    }

    static String assertProblem(int actualStatus, @Nullable String contentType, String body, int status, String slug) {
        assertThat(actualStatus).as("status of %s", body).isEqualTo(status);
        assertThat(contentType).as("Content-Type").isNotNull();
        assertThat(MediaType.parseMediaType(contentType).equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON))
                .as("Content-Type %s is application/problem+json", contentType)
                .isTrue();
        assertThat((String) JsonPath.read(body, "$.type")).isEqualTo("urn:clawmesh:problem:" + slug);
        assertThat((Integer) JsonPath.read(body, "$.status")).isEqualTo(status);
        String detail = JsonPath.read(body, "$.detail");
        assertThat(detail).as("detail").isNotBlank();
        return detail;
    }

    /**
     * Everything a request could change: the node and rule rows, the in-memory views that routing reads, and the
     * message log. Timestamps are compared as stored, so even a renewed lease shows.
     */
    MeshState state() {
        this.messageLog.flush();
        return new MeshState(
                this.jdbc.queryForList("SELECT * FROM nodes ORDER BY id"),
                this.registry.all().stream()
                        .map((node) -> String.join(
                                "|",
                                node.id(),
                                node.name(),
                                node.endpoint(),
                                node.status().wireName(),
                                String.valueOf(node.capacity()),
                                String.valueOf(node.reportedInflight()),
                                node.tokenHash(),
                                node.capabilities().toString(),
                                node.runtime().toString()))
                        .sorted()
                        .toList(),
                this.jdbc.queryForList("SELECT * FROM routing_rules ORDER BY rule_order"),
                this.rules.list(),
                this.jdbc.queryForObject("SELECT COALESCE(SUM(record_count), 0) FROM message_log", Integer.class));
    }

    /** A snapshot of the mesh for "changed nothing" checks. */
    record MeshState(
            List<Map<String, Object>> nodeRows,
            List<String> cachedNodes,
            List<Map<String, Object>> ruleRows,
            List<RoutingRule> rules,
            @Nullable Integer messages) {}

    /** What registration hands an agent: its id and its node token. */
    record RegisteredNode(String id, String token) {}
}
