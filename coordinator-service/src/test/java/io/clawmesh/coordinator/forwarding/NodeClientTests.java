package io.clawmesh.coordinator.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.events.NodeRemovedElsewhere;
import io.clawmesh.coordinator.forwarding.FakeAgent.Received;
import io.clawmesh.coordinator.forwarding.FakeAgent.Reply;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** The node client against a fake agent on loopback: what it sends, and how it classifies every kind of answer. */
class NodeClientTests {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private static final int MAX_REPLY_BYTES = 4 * 1024 * 1024;

    private final NodeClient client = new NodeClient(
            new EndpointPolicy(true),
            ForwardingFixtures.forwarding(TIMEOUT, 3),
            JsonMapper.builder().build());

    private final List<FakeAgent> agents = new ArrayList<>();

    private final AgentMessageRequest message =
            new AgentMessageRequest("msg-00000000000000000001", "hello", "cli", "session-1", MutableClock.START);

    @AfterEach
    void tearDown() {
        this.client.destroy();
        this.agents.forEach(FakeAgent::close);
    }

    @Test
    void sendWhenAgentAnswersShouldReturnAnswerAndPresentDeliveryCredentialAndMessageId() throws Exception {
        FakeAgent agent = agent().always(Reply.answer("hi there"));
        Node node = nodeAt(agent.endpoint());

        AgentMessageResponse answer = this.client.send(node, this.message);

        assertThat(answer).isEqualTo(new AgentMessageResponse("msg-00000000000000000001", "node-fake", "hi there"));
        assertThat(agent.received()).singleElement().satisfies((request) -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo(ApiPaths.AGENT_MESSAGES);
            assertThat(request.headers())
                    .containsEntry(
                            "Authorization",
                            "Bearer " + NodeCredentials.deliveryCredential(node.tokenHash(), node.id()))
                    .containsEntry(
                            "Content-Length", String.valueOf(request.body().getBytes(StandardCharsets.UTF_8).length))
                    .containsEntry(ApiPaths.MESSAGE_ID_HEADER, "msg-00000000000000000001")
                    .doesNotContainKey("Transfer-Encoding")
                    .doesNotContainKey("Accept-Encoding");
            assertThat(request.headers().get("Content-Type")).startsWith("application/json");
            assertThat(request.messageId()).isEqualTo("msg-00000000000000000001");
            assertThat(request.body()).contains("\"content\":\"hello\"", "\"session_key\":\"session-1\"");
        });
    }

    @Test
    void sendAfterReRegistrationShouldPresentTheNewCredentialAndRemovalShouldForgetIt() throws Exception {
        FakeAgent agent = agent().always(Reply.answer("hi"));
        Node before = nodeAt(agent.endpoint());
        Node after = new Node(
                before.id(),
                before.name(),
                before.endpoint(),
                before.capabilities(),
                before.status(),
                before.lastHeartbeat(),
                before.runtime(),
                before.reportedInflight(),
                before.capacity(),
                NodeCredentials.hash("the token of the re-registration"),
                before.registeredAt(),
                before.statusChangedAt());

        this.client.send(before, this.message);
        this.client.send(after, this.message);

        assertThat(agent.received())
                .extracting((request) -> request.headers().get("Authorization"))
                .containsExactly(
                        "Bearer " + NodeCredentials.deliveryCredential(before.tokenHash(), before.id()),
                        "Bearer " + NodeCredentials.deliveryCredential(after.tokenHash(), after.id()));
        assertThat(this.client.cachedCredentials())
                .as("one entry per node, not per token")
                .isOne();
        this.client.onNodeRemoved(new NodeRemoved(after.ref(), "test", MutableClock.START));
        assertThat(this.client.cachedCredentials()).isZero();

        this.client.send(after, this.message);
        this.client.onNodeRemovedElsewhere(new NodeRemovedElsewhere(after.id()));
        assertThat(this.client.cachedCredentials())
                .as("removed by another replica")
                .isZero();
    }

    @Test
    void sendWhenReplyIsExactlyAtTheSizeLimitShouldReturnIt() throws Exception {
        FakeAgent agent = agent().always(Reply.bytes(200, "application/json", answerOfSize(MAX_REPLY_BYTES)));

        AgentMessageResponse answer = this.client.send(nodeAt(agent.endpoint()), this.message);

        assertThat(answer.response()).hasSizeGreaterThan(MAX_REPLY_BYTES - 100);
    }

    @Test
    void sendWhenReplyIsOneByteOverTheSizeLimitShouldBeRejected() {
        // Valid JSON followed by one space: only its size can make it fail.
        byte[] body = (new String(answerOfSize(MAX_REPLY_BYTES), StandardCharsets.UTF_8) + " ")
                .getBytes(StandardCharsets.UTF_8);
        FakeAgent agent = agent().always(Reply.bytes(200, "application/json", body));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.REJECTED);
        assertThat(failure).hasMessageContaining("larger than " + MAX_REPLY_BYTES + " bytes");
    }

    @Test
    void sendWhenReplyNeverEndsShouldBeRejectedWithoutReadingItToTheEnd() throws Exception {
        ForwardAttemptException failure = failureWithinFiveSeconds(agent().always(Reply.endlessAnswer()));

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.REJECTED);
        assertThat(failure).hasMessageContaining("larger than " + MAX_REPLY_BYTES + " bytes");
    }

    @Test
    void sendWhenA200ReplyBreaksOffShouldBeRejectedNotResent() {
        FakeAgent agent = agent().always(Reply.brokenOffAnswer("x".repeat(4096)));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind())
                .as("the node ran the message: final, never sent elsewhere")
                .isEqualTo(ForwardAttemptException.Kind.REJECTED);
        assertThat(failure).hasMessageContaining("answered 200 but its reply broke off");
    }

    @Test
    void sendWhenAnErrorBodyNeverEndsShouldFailOverAtOnce() throws Exception {
        ForwardAttemptException failure = failureWithinFiveSeconds(agent().always(Reply.endless(503)));

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.NOT_ACCEPTED);
        assertThat(failure).hasMessageStartingWith("agent-1 answered 503");
    }

    @Test
    void sendWhenAgentAnswers200WithoutBodyShouldBeRejected() {
        FakeAgent agent = agent().always(Reply.bytes(200, "application/json", new byte[0]));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.REJECTED);
        assertThat(failure).hasMessageContaining("answered 200 without a reply");
    }

    @Test
    void sendWhenAgentAnswers200WithMalformedJsonShouldBeRejected() {
        FakeAgent agent = agent().always(Reply.bytes(
                200, "application/json", "{\"message_id\":\"m\",".getBytes(StandardCharsets.UTF_8)));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.REJECTED);
        assertThat(failure).hasMessageContaining("answered 200 with a reply that is not a message answer");
    }

    @Test
    void sendWhenAgentAnswers200WithoutResponseFieldShouldBeRejected() {
        FakeAgent agent = agent().always(Reply.bytes(
                200, "application/json", "{\"message_id\":\"m\",\"node_id\":\"n\"}".getBytes(StandardCharsets.UTF_8)));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.REJECTED);
        assertThat(failure).hasMessageContaining("without a reply");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 500})
    void sendWhenAgentAnswersFinalErrorShouldBeRejected(int status) {
        FakeAgent agent = agent().always(Reply.problem(status, "runtime failed on it"));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.REJECTED);
        assertThat(failure).hasMessage("agent-1 answered " + status + ": runtime failed on it");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 404, 502, 503})
    void sendWhenAgentDidNotTakeTheMessageShouldBeNotAcceptedWithTheAgentsDetail(int status) {
        FakeAgent agent = agent().always(Reply.problem(status, "the runtime is down"));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.NOT_ACCEPTED);
        assertThat(failure).hasMessage("agent-1 answered " + status + ": the runtime is down");
    }

    @Test
    void sendWhenAgentAnswers503WithoutProblemBodyShouldBeNotAcceptedWithTheStatusAlone() {
        FakeAgent agent = agent().always(Reply.bytes(503, "text/plain", "<html>".getBytes(StandardCharsets.UTF_8)));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.NOT_ACCEPTED);
        assertThat(failure).hasMessage("agent-1 answered 503");
    }

    @Test
    void sendWhenAgentAnswers503WithLargeErrorPageShouldStillBeNotAccepted() {
        // A proxy in front of an agent may answer with a big HTML page: the status decides, not the body's size.
        byte[] page = ("<html>" + "x".repeat(100 * 1024) + "</html>").getBytes(StandardCharsets.UTF_8);
        FakeAgent agent = agent().always(Reply.bytes(503, "text/html", page));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.NOT_ACCEPTED);
        assertThat(failure).hasMessage("agent-1 answered 503");
    }

    @Test
    void sendWhenAgentAnswers429ShouldBeFull() {
        FakeAgent agent = agent().always(Reply.problem(429, "4 of 4 in flight"));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.FULL);
        assertThat(failure).hasMessage("agent-1 answered 429: 4 of 4 in flight");
    }

    @Test
    void sendWhenAgentAnswers504ShouldBeTimedOut() {
        FakeAgent agent = agent().always(Reply.problem(504, "the runtime did not answer in time"));

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.TIMED_OUT);
        assertThat(failure).hasMessageContaining("the runtime did not answer in time");
    }

    @Test
    void sendWhenNothingListensShouldBeNotAcceptedConnectionRefused() {
        String endpoint = FakeAgent.deadEndpoint();

        ForwardAttemptException failure = catchThrowableOfType(
                ForwardAttemptException.class, () -> this.client.send(nodeAt(endpoint), this.message));

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.NOT_ACCEPTED);
        assertThat(failure).hasMessage("agent-1 (" + endpoint + "): connection refused");
    }

    @Test
    void sendWhenAgentClosesTheConnectionWithoutAnswerShouldBeInterrupted() {
        FakeAgent agent = agent().always(Reply.hangUp());

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.INTERRUPTED);
        assertThat(failure).hasMessageStartingWith("agent-1 (" + agent.endpoint() + "): ");
        assertThat(agent.receivedMessageIds()).containsExactly("msg-00000000000000000001");
    }

    @Test
    void sendWhenAgentAnswersAfterTheForwardingTimeoutShouldBeTimedOut() {
        FakeAgent agent = agent().always(Reply.answer("too late").heldFor(Duration.ofSeconds(10)));
        long start = System.nanoTime();

        ForwardAttemptException failure = sendExpectingFailure(agent);

        assertThat(failure.kind()).isEqualTo(ForwardAttemptException.Kind.TIMED_OUT);
        assertThat(failure).hasMessageContaining("accepted the message but did not answer in time");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT, Duration.ofSeconds(5));
    }

    @Test
    void sendWhenAgentRefusedOnceShouldAnswerTheNextSendOfTheSameMessage() throws Exception {
        FakeAgent agent = agent().once(Reply.problem(503, "starting")).always(Reply.answer("ready"));
        Node node = nodeAt(agent.endpoint());

        assertThat(catchThrowableOfType(ForwardAttemptException.class, () -> this.client.send(node, this.message))
                        .kind())
                .isEqualTo(ForwardAttemptException.Kind.NOT_ACCEPTED);
        assertThat(this.client.send(node, this.message).response()).isEqualTo("ready");
        assertThat(agent.received())
                .extracting(Received::messageId)
                .containsExactly("msg-00000000000000000001", "msg-00000000000000000001");
    }

    private FakeAgent agent() {
        FakeAgent agent = FakeAgent.start("agent-1");
        this.agents.add(agent);
        return agent;
    }

    private ForwardAttemptException sendExpectingFailure(FakeAgent agent) {
        ForwardAttemptException failure = catchThrowableOfType(
                ForwardAttemptException.class, () -> this.client.send(nodeAt(agent.endpoint()), this.message));
        assertThat(failure).as("the send should have failed").isNotNull();
        return failure;
    }

    /** The failure of a send that must end on its own, without reading an endless body to its end. */
    private ForwardAttemptException failureWithinFiveSeconds(FakeAgent agent) throws Exception {
        Node node = nodeAt(agent.endpoint());
        CompletableFuture<ForwardAttemptException> failure = CompletableFuture.supplyAsync(
                () -> catchThrowableOfType(ForwardAttemptException.class, () -> this.client.send(node, this.message)));
        ForwardAttemptException result = failure.get(5, TimeUnit.SECONDS);
        assertThat(result).as("the send should have failed").isNotNull();
        return result;
    }

    private static Node nodeAt(String endpoint) {
        return ForwardingFixtures.node("node-00000000000000a1", "agent-1", endpoint);
    }

    /** A well-formed message answer of exactly {@code size} bytes. */
    private static byte[] answerOfSize(int size) {
        String prefix = "{\"message_id\":\"msg-00000000000000000001\",\"node_id\":\"node-fake\",\"response\":\"";
        String suffix = "\"}";
        return (prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix)
                .getBytes(StandardCharsets.UTF_8);
    }
}
