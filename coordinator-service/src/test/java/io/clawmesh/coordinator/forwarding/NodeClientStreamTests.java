package io.clawmesh.coordinator.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.forwarding.FakeAgent.Reply;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node client's streamed send against a fake agent on loopback: pieces passed on as they arrive, the same failover
 * classification as the JSON send until the node answered 200, and every failure after that final.
 */
class NodeClientStreamTests {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final NodeClient client = new NodeClient(
            new EndpointPolicy(true),
            ForwardingFixtures.forwarding(TIMEOUT, 3),
            JsonMapper.builder().build());

    private final List<FakeAgent> agents = new ArrayList<>();

    private final AgentMessageRequest message =
            new AgentMessageRequest("msg-00000000000000000001", "hello", "cli", null, MutableClock.START);

    private final Recorder recorder = new Recorder();

    @AfterEach
    void tearDown() {
        this.client.destroy();
        this.agents.forEach(FakeAgent::close);
    }

    @Test
    void streamShouldAskForEventsAndPassEveryDeltaOnInOrderAfterTheStart() throws Exception {
        FakeAgent agent = agent().always(Reply.streamed("Hel", "lo ", "world"));

        AgentMessageResponse answer = this.client.stream(nodeAt(agent), this.message, this.recorder);

        assertThat(answer.response()).isEqualTo("Hello world");
        assertThat(answer.messageId()).isEqualTo("msg-00000000000000000001");
        assertThat(this.recorder.calls).containsExactly("started agent-1", "Hel", "lo ", "world");
        assertThat(agent.received())
                .singleElement()
                .satisfies((request) -> assertThat(request.headers()).containsEntry("Accept", "text/event-stream"));
    }

    @Test
    void streamShouldPassDeltasOnBeforeTheAgentHasFinished() {
        FakeAgent agent = agent().always(Reply.streamed("one ", "two ", "three").pausedAfter(2));

        CompletableFuture<AgentMessageResponse> answer = CompletableFuture.supplyAsync(() -> streamUnchecked(agent));

        await().atMost(5, TimeUnit.SECONDS).until(() -> this.recorder.calls.size() == 3);
        assertThat(this.recorder.calls).containsExactly("started agent-1", "one ", "two ");
        assertThat(answer).as("the agent is still holding the rest").isNotDone();
        agent.release();
        assertThat(answer)
                .succeedsWithin(Duration.ofSeconds(5))
                .satisfies((done) -> assertThat(done.response()).isEqualTo("one two three"));
        assertThat(this.recorder.calls).containsExactly("started agent-1", "one ", "two ", "three");
    }

    @Test
    void streamWhenAgentAnswersPlainJsonShouldPassTheWholeResponseOnAsOnePiece() throws Exception {
        FakeAgent agent = agent().always(Reply.answer("all at once"));

        AgentMessageResponse answer = this.client.stream(nodeAt(agent), this.message, this.recorder);

        assertThat(answer.response()).isEqualTo("all at once");
        assertThat(this.recorder.calls).containsExactly("started agent-1", "all at once");
    }

    @Test
    void streamWhenDoneHoldsMoreThanTheDeltasShouldPassTheRestOnAsALastPiece() throws Exception {
        FakeAgent agent = agent().always(Reply.streamedThenDone("Hello world!", "Hello"));

        AgentMessageResponse answer = this.client.stream(nodeAt(agent), this.message, this.recorder);

        assertThat(answer.response()).isEqualTo("Hello world!");
        assertThat(this.recorder.calls).containsExactly("started agent-1", "Hello", " world!");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 404, 502, 503})
    void streamWhenAgentDidNotTakeTheMessageShouldBeNotAcceptedAndNeverStart(int status) {
        FakeAgent agent = agent().always(Reply.problem(status, "the runtime is down"));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.NOT_ACCEPTED);
        assertThat(failure).hasMessageContaining("answered " + status + ": the runtime is down");
        assertThat(this.recorder.calls).isEmpty();
    }

    @Test
    void streamWhenAgentIsAtCapacityShouldBeFull() {
        ForwardAttemptException failure = failure(agent().always(Reply.problem(429, "4 of 4 in flight")));

        assertThat(failure.kind()).isEqualTo(Kind.FULL);
        assertThat(this.recorder.calls).isEmpty();
    }

    @Test
    void streamWhenNothingListensShouldBeNotAccepted() {
        ForwardAttemptException failure = catchThrowableOfType(
                ForwardAttemptException.class,
                () -> this.client.stream(
                        ForwardingFixtures.node("node-00000000000000a1", "agent-1", FakeAgent.deadEndpoint()),
                        this.message,
                        this.recorder));

        assertThat(failure.kind()).isEqualTo(Kind.NOT_ACCEPTED);
        assertThat(this.recorder.calls).isEmpty();
    }

    @Test
    void streamWhenAgentReportsAFailureAfterStartingShouldBeFinalWithItsEscapedDetail() {
        FakeAgent agent = agent().always(Reply.streamedThenError(502, "runtime crashed\u001b[2J", "partial "));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure)
                .hasMessageContaining("agent-1 accepted the message and then failed (502): runtime crashed\\u001B[2J")
                .hasMessageNotContaining("\u001b");
        assertThat(this.recorder.calls).containsExactly("started agent-1", "partial ");
    }

    @Test
    void streamWhenAgentReportsATimeoutAfterStartingShouldBeTimedOut() {
        FakeAgent agent = agent().always(Reply.streamedThenError(504, "the runtime did not answer in time", "a"));

        assertThat(failure(agent).kind()).isEqualTo(Kind.TIMED_OUT);
    }

    @Test
    void streamWhenConnectionBreaksAfterStartingShouldBeFinalNotInterrupted() {
        FakeAgent agent = agent().always(Reply.streamedThenBrokenOff("partial "));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure).hasMessageContaining("accepted the message but its stream broke off");
        assertThat(agent.received()).as("not asked again").hasSize(1);
    }

    @Test
    void streamWhenItEndsWithoutAnAnswerShouldBeFinal() {
        FakeAgent agent = agent().always(
                        Reply.bytes(200, "text/event-stream", bytes("event: delta\ndata: {\"text\":\"a\"}\n\n")));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure).hasMessageContaining("its stream ended without an answer");
    }

    @Test
    void streamWhenDoneContradictsTheDeltasShouldBeFinal() {
        FakeAgent agent = agent().always(Reply.streamedThenDone("something else", "Hello"));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure).hasMessageContaining("differs from the text it streamed");
    }

    @Test
    void streamWhenADeltaIsUnreadableShouldBeFinal() {
        FakeAgent agent =
                agent().always(Reply.bytes(200, "text/event-stream", bytes("event: delta\ndata: {\"text\":\n\n")));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure).hasMessageContaining("streamed a delta event that cannot be read");
    }

    @Test
    void streamWhenTheAgentGoesQuietLongerThanTheTimeoutShouldBeTimedOut() {
        FakeAgent agent = agent().always(Reply.streamed("a", "b").pausedAfter(1));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(failure).hasMessageContaining("sent nothing for longer than mesh.forwarding.timeout");
        assertThat(this.recorder.calls).containsExactly("started agent-1", "a");
    }

    @Test
    void streamWhenAnEventIsOverTheSizeLimitShouldBeRejectedWithoutReadingItAll() {
        String huge = "event: delta\ndata: {\"text\":\"" + "x".repeat(NodeClient.MAX_REPLY_BYTES) + "\"}\n\n";
        FakeAgent agent = agent().always(Reply.bytes(200, "text/event-stream", bytes(huge)));

        ForwardAttemptException failure = failure(agent);

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure).hasMessageContaining("its stream is too large: an event is larger than");
    }

    @Test
    void streamWhenTheClientGoesAwayShouldCloseTheAgentsStream() {
        FakeAgent agent = agent().always(Reply.streamedWithoutEnd("more ", "first "));
        Recorder leaving = new Recorder(2);

        ClientGoneException gone = catchThrowableOfType(
                ClientGoneException.class, () -> this.client.stream(nodeAt(agent), this.message, leaving));

        assertThat(gone).hasMessageContaining("the client closed the stream");
        assertThat(leaving.calls).containsExactly("started agent-1", "first ");
        await().atMost(5, TimeUnit.SECONDS).until(() -> agent.abandonedStreams() == 1);
    }

    private ForwardAttemptException failure(FakeAgent agent) {
        ForwardAttemptException failure = catchThrowableOfType(
                ForwardAttemptException.class, () -> this.client.stream(nodeAt(agent), this.message, this.recorder));
        assertThat(failure).as("the stream failed").isNotNull();
        return failure;
    }

    private AgentMessageResponse streamUnchecked(FakeAgent agent) {
        try {
            return this.client.stream(nodeAt(agent), this.message, this.recorder);
        } catch (ForwardAttemptException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private FakeAgent agent() {
        FakeAgent agent = FakeAgent.start("agent-1");
        this.agents.add(agent);
        return agent;
    }

    private static Node nodeAt(FakeAgent agent) {
        return ForwardingFixtures.node("node-00000000000000a1", "agent-1", agent.endpoint());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Records what the client passed on; optionally its client goes away after some calls. */
    static final class Recorder implements ReplyListener {

        final List<String> calls = new CopyOnWriteArrayList<>();

        private final int goneAfter;

        Recorder() {
            this(Integer.MAX_VALUE);
        }

        Recorder(int goneAfter) {
            this.goneAfter = goneAfter;
        }

        @Override
        public void started(Node node) throws IOException {
            record("started " + node.name());
        }

        @Override
        public void delta(String text) throws IOException {
            record(text);
        }

        private void record(String call) throws IOException {
            if (this.calls.size() >= this.goneAfter) {
                throw new IOException("Broken pipe");
            }
            this.calls.add(call);
        }
    }
}
