package io.clawmesh.coordinator.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.audit.AuditRepository;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.events.ForwardAttempted;
import io.clawmesh.coordinator.events.MessageHandled;
import io.clawmesh.coordinator.events.RecordedEvents;
import io.clawmesh.coordinator.forwarding.FakeAgent.Reply;
import io.clawmesh.coordinator.messages.MessageLog;
import io.clawmesh.coordinator.messages.MessageLogRepository;
import io.clawmesh.coordinator.messages.MessageRecord;
import io.clawmesh.coordinator.messages.MessageRecord.Outcome;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import io.clawmesh.coordinator.routing.FailoverCooldowns;
import io.clawmesh.coordinator.routing.NodeSelector;
import io.clawmesh.coordinator.routing.RouteResolver;
import io.clawmesh.coordinator.routing.RoutingRules;
import io.clawmesh.coordinator.routing.RuleRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

/**
 * Failover over real routing, a real registry on H2, the real node client and fake agents on loopback. Which node is
 * chosen first is made certain by load: the node under test reports nothing in flight, every other node one message.
 */
class MessageForwarderTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private static final int MAX_ATTEMPTS = 2;

    private final MutableClock clock = new MutableClock();

    private final ForwardingProperties properties = ForwardingFixtures.forwarding(TIMEOUT, MAX_ATTEMPTS);

    private final List<FakeAgent> agents = new ArrayList<>();

    private final InflightTracker inflight = new InflightTracker(Clock.systemUTC());

    private final FailoverCooldowns cooldowns = new FailoverCooldowns(this.properties.cooldown(), this.clock);

    private TestDatabase database;

    private NodeRegistry registry;

    private NodeClient client;

    private MessageLog log;

    private MessageForwarder forwarder;

    private final RecordedEvents events = new RecordedEvents();

    @BeforeEach
    void setUp() {
        this.database = TestDatabase.h2();
        this.registry = RegistryFixtures.registry(this.database, this.clock);
        RoutingRules rules = new RoutingRules(
                new RuleRepository(this.database.jdbcClient(), TestDatabase.jsonMapper()),
                this.clock,
                this.events,
                new AuditTrail(new AuditRepository(this.database.jdbcClient())));
        this.client = new NodeClient(
                new EndpointPolicy(true), this.properties, JsonMapper.builder().build());
        this.log = new MessageLog(
                new MessageLogRepository(this.database.jdbcTemplate(), this.database.jdbcClient()),
                ForwardingFixtures.properties(1000));
        this.forwarder = new MessageForwarder(
                new RouteResolver(this.registry, rules, this.cooldowns),
                new NodeSelector(this.inflight),
                this.client,
                this.inflight,
                this.cooldowns,
                this.log,
                this.properties,
                this.clock,
                this.events);
    }

    @AfterEach
    void tearDown() {
        this.client.destroy();
        this.agents.forEach(FakeAgent::close);
        this.database.close();
    }

    @Test
    void routeWhenFirstNodeAnswers503ShouldBeAnsweredByAnotherAndCoolTheFirstDown() {
        FakeAgent refusing = agent("refusing").always(Reply.problem(503, "runtime is down"));
        FakeAgent healthy = agent("healthy");
        String refusingId = register("refusing", refusing.endpoint(), 0);
        String healthyId = register("healthy", healthy.endpoint(), 1);

        RouteResponse answer = this.forwarder.route(new RouteRequest("hello"));

        assertThat(answer.nodeId()).isEqualTo(healthyId);
        assertThat(answer.response()).isEqualTo("answer from healthy");
        assertThat(refusing.receivedMessageIds()).containsExactly(answer.messageId());
        assertThat(healthy.receivedMessageIds()).containsExactly(answer.messageId());
        assertThat(this.cooldowns.isCooling(refusingId)).isTrue();
        assertThat(this.cooldowns.isCooling(healthyId)).isFalse();
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.messageId()).isEqualTo(answer.messageId());
            assertThat(record.outcome()).isEqualTo(Outcome.ROUTED);
            assertThat(record.nodeId()).isEqualTo(healthyId);
            assertThat(record.attempts()).isEqualTo(2);
            assertThat(record.error()).contains("refusing answered 503: runtime is down");
        });
        assertThat(this.inflight.total()).isZero();
        assertThat(this.events.of(ForwardAttempted.class))
                .extracting(ForwardAttempted::outcome, (event) -> event.node().id())
                .containsExactly(tuple("not_accepted", refusingId), tuple("ok", healthyId));
        assertThat(this.events.of(MessageHandled.class)).singleElement().satisfies((event) -> {
            assertThat(event.record().messageId()).isEqualTo(answer.messageId());
            assertThat(event.failovers()).isEqualTo(1);
            assertThat(event.explicit()).isFalse();
            assertThat(event.content()).isEqualTo("hello");
        });
    }

    @Test
    void routeShouldPutTheMessageIdInTheLoggingContextOfItsLinesAndTakeItOutAfterwards() {
        FakeAgent refusing = agent("refusing").always(Reply.problem(503, "runtime is down"));
        FakeAgent healthy = agent("healthy");
        register("refusing", refusing.endpoint(), 0);
        register("healthy", healthy.endpoint(), 1);
        Logger logger = (Logger) LoggerFactory.getLogger(MessageForwarder.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            RouteResponse answer = this.forwarder.route(new RouteRequest("hello"));

            assertThat(lines.list)
                    .filteredOn((line) -> line.getFormattedMessage().contains("not taken by refusing"))
                    .singleElement()
                    .satisfies((line) -> assertThat(line.getMDCPropertyMap())
                            .containsEntry(ApiPaths.MESSAGE_ID_MDC_KEY, answer.messageId()));
            assertThat(MDC.get(ApiPaths.MESSAGE_ID_MDC_KEY)).isNull();
            assertThat(healthy.received())
                    .singleElement()
                    .satisfies((request) -> assertThat(request.headers())
                            .containsEntry(ApiPaths.MESSAGE_ID_HEADER, answer.messageId()));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void routeWhenFirstNodeRefusesConnectionsShouldBeAnsweredByAnotherAndKeepTheFirstOutOfSelection() {
        FakeAgent healthy = agent("healthy");
        String deadId = register("dead", FakeAgent.deadEndpoint(), 0);
        String healthyId = register("healthy", healthy.endpoint(), 1);

        RouteResponse first = this.forwarder.route(new RouteRequest("hello"));
        RouteResponse second = this.forwarder.route(new RouteRequest("again"));

        assertThat(first.nodeId()).isEqualTo(healthyId);
        assertThat(second.nodeId()).isEqualTo(healthyId);
        assertThat(this.cooldowns.isCooling(deadId)).isTrue();
        // The second message went straight to the healthy node: one attempt, no failure.
        assertThat(this.log.recent(10)).extracting(MessageRecord::attempts).containsExactly(1, 2);
        assertThat(this.log.recent(10).getLast().error()).contains("connection refused");
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeWhenNodeAnswers500ShouldFailWithoutSendingTheMessageElsewhere() {
        FakeAgent failing = agent("failing").always(Reply.problem(500, "runtime crashed"));
        FakeAgent healthy = agent("healthy");
        String failingId = register("failing", failing.endpoint(), 0);
        register("healthy", healthy.endpoint(), 1);

        ForwardingFailedException failure = catchThrowableOfType(
                ForwardingFailedException.class, () -> this.forwarder.route(new RouteRequest("hi")));

        assertThat(failure).hasMessageContaining("failing answered 500: runtime crashed");
        assertThat(failing.receivedMessageIds()).containsExactly(failure.messageId());
        assertThat(healthy.received()).isEmpty();
        assertThat(this.cooldowns.isCooling(failingId)).isFalse();
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.status()).isEqualTo(502);
            assertThat(record.nodeId()).isEqualTo(failingId);
            assertThat(record.attempts()).isEqualTo(1);
        });
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeWhenNodeIsFullShouldBeAnsweredByAnotherWithoutCoolingTheFullNodeDown() {
        FakeAgent full = agent("full").always(Reply.problem(429, "4 of 4 in flight"));
        FakeAgent healthy = agent("healthy");
        String fullId = register("full", full.endpoint(), 0);
        String healthyId = register("healthy", healthy.endpoint(), 1);

        RouteResponse answer = this.forwarder.route(new RouteRequest("hello"));

        assertThat(answer.nodeId()).isEqualTo(healthyId);
        assertThat(full.receivedMessageIds()).containsExactly(answer.messageId());
        assertThat(this.cooldowns.isCooling(fullId)).isFalse();
        assertThat(this.log.recent(10))
                .singleElement()
                .extracting(MessageRecord::attempts)
                .isEqualTo(2);
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeWhenEveryNodeRefusesShouldFailNamingEachFailureAfterMaxAttempts() {
        List<FakeAgent> refusing = List.of(agent("a"), agent("b"), agent("c"));
        for (FakeAgent agent : refusing) {
            agent.always(Reply.problem(503, "runtime of " + agent.name() + " is down"));
            register(agent.name(), agent.endpoint(), 0);
        }

        ForwardingFailedException failure = catchThrowableOfType(
                ForwardingFailedException.class, () -> this.forwarder.route(new RouteRequest("hi")));

        List<FakeAgent> tried =
                refusing.stream().filter((agent) -> !agent.received().isEmpty()).toList();
        assertThat(tried).hasSize(MAX_ATTEMPTS);
        assertThat(failure).hasMessageStartingWith("message " + failure.messageId() + " could not be delivered: ");
        for (FakeAgent agent : tried) {
            assertThat(agent.receivedMessageIds()).containsExactly(failure.messageId());
            assertThat(failure)
                    .hasMessageContaining(agent.name() + " answered 503: runtime of " + agent.name() + " is down");
        }
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.status()).isEqualTo(502);
            assertThat(record.attempts()).isEqualTo(MAX_ATTEMPTS);
        });
        assertThat(this.inflight.total()).isZero();
        assertThat(this.events.of(MessageHandled.class)).singleElement().satisfies((event) -> {
            assertThat(event.record().outcome()).isEqualTo(Outcome.FAILED);
            assertThat(event.failovers()).isEqualTo(MAX_ATTEMPTS - 1);
        });
    }

    @Test
    void routeWhenNodeAnswers504ShouldTimeOutWithoutSendingTheMessageElsewhere() {
        FakeAgent slow = agent("slow").always(Reply.problem(504, "the runtime did not answer in time"));
        FakeAgent healthy = agent("healthy");
        String slowId = register("slow", slow.endpoint(), 0);
        register("healthy", healthy.endpoint(), 1);

        ForwardingTimeoutException failure = catchThrowableOfType(
                ForwardingTimeoutException.class, () -> this.forwarder.route(new RouteRequest("hi")));

        assertThat(failure).hasMessageContaining("the runtime did not answer in time");
        assertThat(slow.receivedMessageIds()).containsExactly(failure.messageId());
        assertThat(healthy.received()).isEmpty();
        assertThat(this.cooldowns.isCooling(slowId)).isFalse();
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(record.status()).isEqualTo(504);
        });
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeWhenNodeDoesNotAnswerWithinTheTimeoutShouldTimeOutWithoutSendingTheMessageElsewhere() {
        FakeAgent slow = agent("slow").always(Reply.answer("too late").heldFor(Duration.ofSeconds(10)));
        FakeAgent healthy = agent("healthy");
        register("slow", slow.endpoint(), 0);
        register("healthy", healthy.endpoint(), 1);

        ForwardingTimeoutException failure = catchThrowableOfType(
                ForwardingTimeoutException.class, () -> this.forwarder.route(new RouteRequest("hi")));

        assertThat(failure).hasMessageContaining("slow (" + slow.endpoint() + ") accepted the message");
        assertThat(slow.receivedMessageIds()).containsExactly(failure.messageId());
        assertThat(healthy.received()).isEmpty();
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeWhenConnectionBreaksOnceShouldBeAnsweredBySameNodeWithSameMessageId() {
        FakeAgent flaky = agent("flaky").once(Reply.hangUp());
        FakeAgent other = agent("other");
        String flakyId = register("flaky", flaky.endpoint(), 0);
        register("other", other.endpoint(), 1);

        RouteResponse answer = this.forwarder.route(new RouteRequest("hello"));

        assertThat(answer.nodeId()).isEqualTo(flakyId);
        assertThat(answer.response()).isEqualTo("answer from flaky");
        assertThat(flaky.receivedMessageIds()).containsExactly(answer.messageId(), answer.messageId());
        assertThat(other.received()).isEmpty();
        assertThat(this.cooldowns.isCooling(flakyId)).isFalse();
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeWhenConnectionBreaksTwiceShouldMoveOnWithSameMessageIdWithoutCoolingTheNodeDown() {
        FakeAgent broken = agent("broken").always(Reply.hangUp());
        FakeAgent other = agent("other");
        String brokenId = register("broken", broken.endpoint(), 0);
        String otherId = register("other", other.endpoint(), 1);

        RouteResponse answer = this.forwarder.route(new RouteRequest("hello"));

        assertThat(answer.nodeId()).isEqualTo(otherId);
        assertThat(broken.receivedMessageIds()).containsExactly(answer.messageId(), answer.messageId());
        assertThat(other.receivedMessageIds()).containsExactly(answer.messageId());
        assertThat(this.cooldowns.isCooling(brokenId)).isFalse();
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeToWhenNodeRefusesShouldFailWithoutTryingAnotherNode() {
        FakeAgent refusing = agent("refusing").always(Reply.problem(503, "runtime is down"));
        FakeAgent healthy = agent("healthy");
        register("refusing", refusing.endpoint(), 1);
        register("healthy", healthy.endpoint(), 0);

        ForwardingFailedException failure = catchThrowableOfType(
                ForwardingFailedException.class, () -> this.forwarder.routeTo("refusing", new RouteRequest("hi")));

        assertThat(failure).hasMessageContaining("refusing answered 503: runtime is down");
        assertThat(refusing.receivedMessageIds()).containsExactly(failure.messageId());
        assertThat(healthy.received()).isEmpty();
        assertThat(this.log.recent(10))
                .singleElement()
                .extracting(MessageRecord::attempts)
                .isEqualTo(1);
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeToWhenNodeRefusesConnectionsShouldFailWithoutTryingAnotherNode() {
        FakeAgent healthy = agent("healthy");
        register("dead", FakeAgent.deadEndpoint(), 1);
        register("healthy", healthy.endpoint(), 0);

        ForwardingFailedException failure = catchThrowableOfType(
                ForwardingFailedException.class, () -> this.forwarder.routeTo("dead", new RouteRequest("hi")));

        assertThat(failure).hasMessageContaining("connection refused");
        assertThat(healthy.received()).isEmpty();
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeWhileNodeWorksShouldCountTheMessageInFlightUntilItAnswers() throws Exception {
        FakeAgent working = agent("working").always(Reply.answer("done").heldFor(Duration.ofSeconds(10)));
        String workingId = register("working", working.endpoint(), 0);

        CompletableFuture<RouteResponse> answer =
                CompletableFuture.supplyAsync(() -> this.forwarder.route(new RouteRequest("hello")));

        await().atMost(Duration.ofSeconds(5)).until(() -> !working.received().isEmpty());
        assertThat(this.inflight.get(workingId)).isEqualTo(1);
        assertThat(this.inflight.total()).isEqualTo(1);
        working.release();
        assertThat(answer.get(5, TimeUnit.SECONDS).response()).isEqualTo("done");
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeStreamedWhenFirstNodeAnswers503ShouldStreamFromAnotherAndRecordItAsTheJsonPathDoes() {
        FakeAgent refusing = agent("refusing").always(Reply.problem(503, "runtime is down"));
        FakeAgent streaming = agent("streaming").always(Reply.streamed("Hel", "lo"));
        String refusingId = register("refusing", refusing.endpoint(), 0);
        String streamingId = register("streaming", streaming.endpoint(), 1);
        NodeClientStreamTests.Recorder recorder = new NodeClientStreamTests.Recorder();

        RouteResponse answer = this.forwarder.route(new RouteRequest("hello"), recorder);

        assertThat(answer.nodeId()).isEqualTo(streamingId);
        assertThat(answer.nodeName()).isEqualTo("streaming");
        assertThat(answer.response()).isEqualTo("Hello");
        assertThat(recorder.calls).containsExactly("started streaming", "Hel", "lo");
        assertThat(refusing.receivedMessageIds()).containsExactly(answer.messageId());
        assertThat(streaming.receivedMessageIds()).containsExactly(answer.messageId());
        assertThat(this.cooldowns.isCooling(refusingId)).isTrue();
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.outcome()).isEqualTo(Outcome.ROUTED);
            assertThat(record.nodeId()).isEqualTo(streamingId);
            assertThat(record.attempts()).isEqualTo(2);
        });
        assertThat(this.inflight.total()).isZero();
        assertThat(this.events.of(ForwardAttempted.class))
                .extracting(ForwardAttempted::outcome, (event) -> event.node().id())
                .containsExactly(tuple("not_accepted", refusingId), tuple("ok", streamingId));
        assertThat(this.events.of(MessageHandled.class)).singleElement().satisfies((event) -> {
            assertThat(event.failovers()).isEqualTo(1);
            assertThat(event.explicit()).isFalse();
        });
    }

    @Test
    void routeStreamedWhenNodeBreaksOffAfterStartingShouldFailWithoutSendingTheMessageElsewhere() {
        FakeAgent breaking = agent("breaking").always(Reply.streamedThenBrokenOff("partial "));
        FakeAgent healthy = agent("healthy").always(Reply.streamed("never"));
        String breakingId = register("breaking", breaking.endpoint(), 0);
        register("healthy", healthy.endpoint(), 1);
        NodeClientStreamTests.Recorder recorder = new NodeClientStreamTests.Recorder();

        ForwardingFailedException failure = catchThrowableOfType(
                ForwardingFailedException.class, () -> this.forwarder.route(new RouteRequest("hi"), recorder));

        assertThat(failure).hasMessageContaining("breaking accepted the message but its stream broke off");
        assertThat(recorder.calls).containsExactly("started breaking", "partial ");
        assertThat(breaking.received()).hasSize(1);
        assertThat(healthy.received()).isEmpty();
        assertThat(this.cooldowns.isCooling(breakingId)).isFalse();
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.status()).isEqualTo(502);
            assertThat(record.nodeId()).isEqualTo(breakingId);
        });
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeStreamedWhenNodeReportsATimeoutAfterStartingShouldTimeOut() {
        FakeAgent slow = agent("slow").always(Reply.streamedThenError(504, "the runtime did not answer", "a"));
        register("slow", slow.endpoint(), 0);

        ForwardingTimeoutException failure = catchThrowableOfType(
                ForwardingTimeoutException.class,
                () -> this.forwarder.route(new RouteRequest("hi"), new NodeClientStreamTests.Recorder()));

        assertThat(failure).hasMessageContaining("slow accepted the message and then failed (504)");
        assertThat(this.log.recent(10))
                .singleElement()
                .satisfies((record) -> assertThat(record.outcome()).isEqualTo(Outcome.TIMED_OUT));
    }

    @Test
    void routeToStreamedShouldStreamFromTheNamedNode() {
        FakeAgent chosen = agent("chosen").always(Reply.streamed("from ", "chosen"));
        FakeAgent other = agent("other");
        String chosenId = register("chosen", chosen.endpoint(), 1);
        register("other", other.endpoint(), 0);
        NodeClientStreamTests.Recorder recorder = new NodeClientStreamTests.Recorder();

        RouteResponse answer = this.forwarder.routeTo("chosen", new RouteRequest("hi"), recorder);

        assertThat(answer.nodeId()).isEqualTo(chosenId);
        assertThat(recorder.calls).containsExactly("started chosen", "from ", "chosen");
        assertThat(other.received()).isEmpty();
        assertThat(this.events.of(MessageHandled.class))
                .singleElement()
                .satisfies((event) -> assertThat(event.explicit()).isTrue());
    }

    @Test
    void routeStreamedShouldCountTheMessageInFlightWhileItStreams() {
        FakeAgent working = agent("working").always(Reply.streamed("a", "b").pausedAfter(1));
        String workingId = register("working", working.endpoint(), 0);
        NodeClientStreamTests.Recorder recorder = new NodeClientStreamTests.Recorder();

        CompletableFuture<RouteResponse> answer =
                CompletableFuture.supplyAsync(() -> this.forwarder.route(new RouteRequest("hello"), recorder));

        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.calls.size() == 2);
        assertThat(this.inflight.get(workingId)).isEqualTo(1);
        working.release();
        assertThat(answer).succeedsWithin(Duration.ofSeconds(5));
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void routeStreamedWhenTheClientGoesAwayShouldCloseTheNodesStreamLogItAndFreeTheSlot() {
        FakeAgent endless = agent("endless").always(Reply.streamedWithoutEnd("more ", "first "));
        String endlessId = register("endless", endless.endpoint(), 0);
        FakeAgent other = agent("other");
        register("other", other.endpoint(), 1);

        ClientGoneException gone = catchThrowableOfType(
                ClientGoneException.class,
                () -> this.forwarder.route(new RouteRequest("hi"), new NodeClientStreamTests.Recorder(2)));

        assertThat(gone).isNotNull();
        assertThat(this.inflight.total()).isZero();
        assertThat(other.received()).as("never resent").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> endless.abandonedStreams() == 1);
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.status()).isEqualTo(MessageForwarder.CLIENT_CLOSED);
            assertThat(record.nodeId()).isEqualTo(endlessId);
            assertThat(record.error()).contains("the client closed the stream");
        });
    }

    @Test
    void routeWatchedWhenTheClientGoesAwayShouldCancelTheRunOnTheNodeByItsIdAndNeverResend() {
        FakeAgent endless = agent("endless").always(Reply.streamedWithoutEnd("more ", "first "));
        String endlessId = register("endless", endless.endpoint(), 0);
        FakeAgent other = agent("other");
        register("other", other.endpoint(), 1);
        LeavingClient client = new LeavingClient(() -> !endless.received().isEmpty());

        ClientGoneException gone = catchThrowableOfType(
                ClientGoneException.class, () -> this.forwarder.route(new RouteRequest("hi"), client));

        assertThat(gone).isNotNull();
        assertThat(endless.received()).singleElement().satisfies((received) -> {
            assertThat(received.headers().get("Accept")).isEqualTo("application/json");
            assertThat(endless.canceled()).containsExactly(received.messageId());
        });
        assertThat(client.closed).as("the watch ends with the wait").isTrue();
        assertThat(this.inflight.total()).isZero();
        assertThat(other.received()).as("never resent").isEmpty();
        assertThat(this.log.recent(10)).singleElement().satisfies((record) -> {
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.status()).isEqualTo(MessageForwarder.CLIENT_CLOSED);
            assertThat(record.nodeId()).isEqualTo(endlessId);
            assertThat(record.error()).contains("the run was canceled on the node");
        });
    }

    @Test
    void routeWatchedWhenTheClientStaysShouldAnswerAsRouteDoesWithoutACancel() {
        FakeAgent alpha = agent("alpha");
        register("alpha", alpha.endpoint(), 0);
        LeavingClient client = new LeavingClient(() -> false);

        RouteResponse answer = this.forwarder.routeTo("alpha", new RouteRequest("hi"), client);

        assertThat(answer.response()).isEqualTo("answer from alpha");
        assertThat(alpha.canceled()).isEmpty();
        assertThat(client.closed).isTrue();
        assertThat(this.log.recent(10))
                .singleElement()
                .satisfies((record) -> assertThat(record.status()).isEqualTo(200));
    }

    /**
     * A client that leaves once {@code leaves} says so, noticed by a thread of its own as the coordinator's watcher
     * does; it asks for the cancel until the node has taken it.
     */
    private static final class LeavingClient implements ClientWatch {

        private final BooleanSupplier leaves;

        volatile boolean closed;

        LeavingClient(BooleanSupplier leaves) {
            this.leaves = leaves;
        }

        @Override
        public Watching watch(BooleanSupplier cancel) {
            AtomicBoolean gone = new AtomicBoolean();
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (!this.closed) {
                    if (gone.get() || this.leaves.getAsBoolean()) {
                        gone.set(true);
                        if (cancel.getAsBoolean()) {
                            return;
                        }
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            });
            return new Watching() {
                @Override
                public boolean gone() {
                    return gone.get();
                }

                @Override
                public void close() {
                    LeavingClient.this.closed = true;
                    watcher.interrupt();
                }
            };
        }
    }

    private FakeAgent agent(String name) {
        FakeAgent agent = FakeAgent.start(name);
        this.agents.add(agent);
        return agent;
    }

    /** Registers an online echo node whose agent reports {@code inflight} messages, so least-busy order is certain. */
    private String register(String name, String endpoint, int inflight) {
        String id = this.registry
                .register(new RegisterNodeRequest(
                        name, endpoint, RegistryFixtures.linuxGpu(), 4, new RuntimeInfo("echo", null, true), null))
                .nodeId();
        if (inflight > 0) {
            this.registry.heartbeat(id, new HeartbeatRequest(NodeStatus.ONLINE, inflight, null, null, null));
        }
        return id;
    }
}
