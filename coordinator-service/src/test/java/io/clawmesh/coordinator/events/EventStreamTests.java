package io.clawmesh.coordinator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.events.EventStream.Subscription;
import io.clawmesh.coordinator.messages.MessageRecord;
import io.clawmesh.coordinator.messages.MessageRecord.Outcome;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventStreamTests {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void onShouldNumberEventsUpwardsFromTheStartTimeAndKeepOnlyTheLatest() {
        EventStream stream = started(properties(3, 10, 5, false));

        for (int i = 0; i < 5; i++) {
            stream.on(new RuleAdded(rule("rule-" + i), i, NOW));
        }

        List<MeshEventView> recent = stream.recent(10);
        assertThat(recent).extracting(MeshEventView::ruleId).containsExactly("rule-2", "rule-3", "rule-4");
        assertThat(recent)
                .extracting(MeshEventView::id)
                .containsExactly(
                        NOW.toEpochMilli() * 1000 + 3, NOW.toEpochMilli() * 1000 + 4, NOW.toEpochMilli() * 1000 + 5);
        assertThat(stream.recent(1)).extracting(MeshEventView::ruleId).containsExactly("rule-4");
    }

    @Test
    void subscribeShouldReplayOnlyEventsAfterTheLastIdAndThenDeliverNewOnes() throws Exception {
        EventStream stream = started(properties(10, 10, 5, false));
        stream.on(new RuleAdded(rule("rule-a"), 0, NOW));
        stream.on(new RuleAdded(rule("rule-b"), 1, NOW));
        long firstId = stream.recent(10).get(0).id();

        try (Subscription fresh = stream.subscribe(null);
                Subscription resumed = stream.subscribe(firstId)) {
            stream.on(new RuleRemoved(rule("rule-a"), NOW));

            assertThat(fresh.replay()).isEmpty();
            assertThat(resumed.replay()).extracting(MeshEventView::ruleId).containsExactly("rule-b");
            assertThat(fresh.next(Duration.ofSeconds(1)).type()).isEqualTo("rule.removed");
            assertThat(resumed.next(Duration.ofSeconds(1)).type()).isEqualTo("rule.removed");
            assertThat(fresh.next(Duration.ofMillis(10))).isNull();
        }
        assertThat(stream.subscriberCount()).isZero();
    }

    @Test
    void onWhenASubscriberFallsTooFarBehindShouldDisconnectItAndNotBlock() throws Exception {
        EventStream stream = started(properties(10, 2, 5, false));
        Subscription slow = stream.subscribe(null);

        for (int i = 0; i < 5; i++) {
            stream.on(new RuleAdded(rule("rule-" + i), i, NOW));
        }

        assertThat(stream.subscriberCount()).isZero();
        assertThatExceptionOfType(SubscriptionClosedException.class)
                .isThrownBy(() -> slow.next(Duration.ofSeconds(1)))
                .withMessage("client fell too far behind");
    }

    @Test
    void stopShouldWakeWaitingReadersAndRefuseNewSubscriptions() throws Exception {
        EventStream stream = started(properties(10, 10, 5, false));
        Subscription waiting = stream.subscribe(null);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                waiting.next(Duration.ofMinutes(1));
                return null;
            } catch (Exception ex) {
                return ex;
            }
        });

        stream.stop();

        assertThat(reader.get(5, TimeUnit.SECONDS)).isInstanceOf(SubscriptionClosedException.class);
        assertThatExceptionOfType(TooManySubscribersException.class).isThrownBy(() -> stream.subscribe(null));
    }

    @Test
    void subscribeWhenTheLimitIsReachedShouldRefuse() {
        EventStream stream = started(properties(10, 10, 2, false));
        stream.subscribe(null);
        stream.subscribe(null);

        assertThatExceptionOfType(TooManySubscribersException.class)
                .isThrownBy(() -> stream.subscribe(null))
                .withMessageContaining("mesh.events.max-subscribers");
    }

    @Test
    void onShouldCarryMessageContentOnlyWhenConfigured() {
        MessageHandled handled = new MessageHandled(
                new MessageRecord("msg-1", "node-1", "gpu-1", Outcome.ROUTED, 200, 12, 1, null, "api", null, NOW),
                Strategy.LEAST_BUSY,
                false,
                "private words",
                NOW);
        EventStream quiet = started(properties(10, 10, 5, false));
        EventStream telling = started(properties(10, 10, 5, true));

        quiet.on(handled);
        telling.on(handled);

        assertThat(quiet.recent(1)).singleElement().satisfies((event) -> {
            assertThat(event.type()).isEqualTo("message.routed");
            assertThat(event.nodeName()).isEqualTo("gpu-1");
            assertThat(event.latencyMs()).isEqualTo(12);
            assertThat(event.content()).isNull();
        });
        assertThat(telling.recent(1).get(0).content()).isEqualTo("private words");
    }

    @Test
    void onShouldDescribeNodeChangesAndIgnoreEventsThatAreNotStreamed() {
        EventStream stream = started(properties(10, 10, 5, false));
        Node node = node(NodeStatus.OFFLINE);

        stream.on(new NodeStatusChanged(node.ref(), NodeStatus.ONLINE, "3 probes failed in a row", NOW));
        stream.on(new NodeProbeFailed(node.ref(), 1, "connection refused", NOW));
        stream.on(new ForwardAttempted(node.ref(), "msg-1", "ok", Duration.ofMillis(3), NOW));

        assertThat(stream.recent(10)).singleElement().satisfies((event) -> {
            assertThat(event.type()).isEqualTo("node.status_changed");
            assertThat(event.status()).isEqualTo("offline");
            assertThat(event.previousStatus()).isEqualTo("online");
            assertThat(event.detail()).isEqualTo("3 probes failed in a row");
        });
    }

    private EventStream started(EventStreamProperties properties) {
        EventStream stream = new EventStream(properties, this.clock);
        stream.start();
        return stream;
    }

    private static EventStreamProperties properties(int buffer, int queue, int maxSubscribers, boolean content) {
        return new EventStreamProperties(buffer, Duration.ofSeconds(15), queue, maxSubscribers, content);
    }

    private static RoutingRule rule(String id) {
        return new RoutingRule(id, new RuleMatch(true, null, null, null, null, null, null), null, Strategy.LEAST_BUSY);
    }

    private static Node node(NodeStatus status) {
        return new Node(
                "node-1",
                "gpu-1",
                "127.0.0.1:9121",
                RegistryFixtures.linuxGpu(),
                status,
                NOW,
                RuntimeInfo.echo(),
                0,
                4,
                "hash",
                NOW,
                NOW);
    }
}
