package io.clawmesh.agent.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.registration.LocalNode;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(controllers = {MessageController.class, HealthController.class})
class MessageControllerTests {

    private static final String NODE_ID = "node-0123456789abcdef";

    private static final String NODE_TOKEN = "node-secret-token";

    private static final String CREDENTIAL =
            NodeCredentials.deliveryCredential(NodeCredentials.hash(NODE_TOKEN), NODE_ID);

    private static final AtomicInteger MESSAGE_IDS = new AtomicInteger();

    private static final String HELLO = hello("msg-1");

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private RegistrationState state;

    @Autowired
    private ScriptedRuntime runtime;

    @Autowired
    private CapacityGate gate;

    @BeforeEach
    void registered() {
        this.state.use(new NodeIdentity(NODE_ID, NODE_TOKEN, "http://127.0.0.1:9180"));
        this.runtime.mode = ScriptedRuntime.Mode.ECHO;
        this.runtime.requests.clear();
    }

    @AfterEach
    void releaseBlockedRuntime() {
        this.runtime.release.countDown();
    }

    @Test
    void receiveWithValidCredentialShouldAnswerTheEchoAndPassTheIdAsIdempotencyKey() {
        assertThat(send(HELLO, CREDENTIAL))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .isLenientlyEqualTo("{\"message_id\":\"msg-1\",\"node_id\":\"" + NODE_ID
                        + "\",\"response\":\"[claw-mesh echo] hello\"}");
        assertThat(this.runtime.requests).singleElement().satisfies((request) -> {
            assertThat(request.messageId()).isEqualTo("msg-1");
            assertThat(request.sessionKey()).isEqualTo("s-1");
            assertThat(request.source()).isEqualTo("cli");
            assertThat(request.deadline()).isEqualTo(Instant.parse("2026-11-23T23:05:00Z"));
        });
    }

    @Test
    void receiveWithoutCredentialShouldAnswer401Problem() {
        MvcTestResult result = send(HELLO, null);

        assertProblem(result, HttpStatus.UNAUTHORIZED, "missing-credential");
        assertThat(result).headers().containsHeader(HttpHeaders.WWW_AUTHENTICATE);
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithWrongCredentialShouldAnswer403Problem() {
        String raw = NodeCredentials.deliveryCredential(NodeCredentials.hash("another-token"), NODE_ID);

        assertProblem(send(HELLO, raw), HttpStatus.FORBIDDEN, "invalid-credential");
        assertProblem(send(HELLO, NODE_TOKEN), HttpStatus.FORBIDDEN, "invalid-credential");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveBeforeRegistrationShouldAnswer503Problem() {
        this.state.clear();

        MvcTestResult result = send(hello(), CREDENTIAL);

        assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "not-registered");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("not registered yet");
    }

    @Test
    void receiveWithMalformedJsonShouldAnswer400Problem() {
        MvcTestResult result = send("{\"id\":\"msg-1\",\"content\":", CREDENTIAL);

        assertProblem(result, HttpStatus.BAD_REQUEST, "malformed-json");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("not valid JSON");
    }

    @Test
    void receiveWithUnknownFieldShouldAnswer400ProblemNamingTheField() {
        MvcTestResult result = send("{\"id\":\"msg-1\",\"content\":\"hi\",\"priority\":9}", CREDENTIAL);

        assertProblem(result, HttpStatus.BAD_REQUEST, "unknown-field");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'priority'");
    }

    @Test
    void receiveWithWrongTypeShouldAnswer400ProblemNamingTheField() {
        MvcTestResult result = send("{\"id\":\"msg-1\",\"content\":\"hi\",\"created_at\":\"yesterday\"}", CREDENTIAL);

        assertProblem(result, HttpStatus.BAD_REQUEST, "invalid-field-type");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'created_at'");
    }

    @Test
    void receiveWithoutContentShouldAnswer400ProblemNamingTheField() {
        MvcTestResult result = send("{\"id\":\"msg-1\"}", CREDENTIAL);

        assertProblem(result, HttpStatus.BAD_REQUEST, "invalid-input");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'content'");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithBodyOverOneMebibyteShouldAnswer413Problem() {
        String content = "x".repeat(1024 * 1024);
        MvcTestResult result = send("{\"id\":\"msg-1\",\"content\":\"" + content + "\"}", CREDENTIAL);

        assertProblem(result, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWhenAllSlotsTakenShouldAnswer429Problem() {
        this.runtime.mode = ScriptedRuntime.Mode.BLOCK;
        this.runtime.release = new CountDownLatch(1);
        CompletableFuture<MvcTestResult> first = CompletableFuture.supplyAsync(() -> send(hello(), CREDENTIAL));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 1);

        MvcTestResult second = send(hello(), CREDENTIAL);
        this.runtime.release.countDown();

        assertProblem(second, HttpStatus.TOO_MANY_REQUESTS, "node-at-capacity");
        assertThat(second)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("node at capacity (1 concurrent messages)");
        assertThat(first.join()).hasStatus(HttpStatus.OK);
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void receiveWhenRuntimeFailsShouldAnswer502ProblemNamingTheRuntime() {
        this.runtime.mode = ScriptedRuntime.Mode.FAIL;

        MvcTestResult result = send(hello(), CREDENTIAL);

        assertProblem(result, HttpStatus.BAD_GATEWAY, "runtime-failure");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("openclaw")
                .contains("connection refused");
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void healthWithoutCredentialShouldAnswerStatusAndRevealNoSecret() throws Exception {
        MvcTestResult result = this.mvc.get().uri(ApiPaths.AGENT_HEALTH).exchange();

        assertThat(result)
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .isLenientlyEqualTo("{\"status\":\"ok\",\"runtime\":{\"kind\":\"echo\",\"connected\":true},"
                        + "\"name\":\"mac-mini\",\"node_id\":\"" + NODE_ID + "\",\"inflight\":0,\"capacity\":1}");
        assertThat(result.getResponse().getContentAsString())
                .doesNotContain(NODE_TOKEN)
                .doesNotContain(CREDENTIAL)
                .doesNotContain(NodeCredentials.hash(NODE_TOKEN));
    }

    private MvcTestResult send(String body, String credential) {
        var request = this.mvc
                .post()
                .uri(ApiPaths.AGENT_MESSAGES)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body);
        if (credential != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + credential);
        }
        return request.exchange();
    }

    private static void assertProblem(MvcTestResult result, HttpStatus status, String slug) {
        assertThat(result).hasStatus(status).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ApiPaths.PROBLEM_TYPE_PREFIX + slug);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Fixtures {

        @Bean
        RegistrationState registrationState() {
            return new RegistrationState();
        }

        @Bean
        ScriptedRuntime scriptedRuntime() {
            return new ScriptedRuntime();
        }

        @Bean
        CapacityGate capacityGate() {
            return new CapacityGate(1);
        }

        @Bean
        LocalNode localNode() {
            return new LocalNode("mac-mini", Path.of("/nonexistent"));
        }

        @Bean
        MessageDispatcher messageDispatcher(ScriptedRuntime runtime, CapacityGate gate) {
            Clock clock = Clock.fixed(Instant.parse("2026-11-23T23:00:00Z"), ZoneOffset.UTC);
            return new MessageDispatcher(runtime, gate, clock, Duration.ofMinutes(5));
        }
    }

    /** A message with a fresh id: the agent answers a repeated id from its first run. */
    private static String hello() {
        return hello("msg-" + (1000 + MESSAGE_IDS.incrementAndGet()));
    }

    private static String hello(String id) {
        return "{\"id\":\"" + id + "\",\"content\":\"hello\",\"source\":\"cli\","
                + "\"session_key\":\"s-1\",\"created_at\":\"2026-11-23T23:00:00Z\"}";
    }
}
