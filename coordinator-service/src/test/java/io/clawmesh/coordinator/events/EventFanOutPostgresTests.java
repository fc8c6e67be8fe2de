package io.clawmesh.coordinator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.replicas.ReplicaIdentityFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' event streams joined by {@link EventFanOut} over a real PostgreSQL's {@code LISTEN/NOTIFY}: what one
 * replica's stream carries, the other's subscribers receive, and bad notifications change nothing.
 */
class EventFanOutPostgresTests {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private TestDatabase database;

    private EventStream streamA;

    private EventStream streamB;

    private EventFanOut fanOutA;

    private EventFanOut fanOutB;

    private final List<Object> publishedOnB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        this.database = TestDatabase.postgres();
        EventStreamProperties properties = new EventStreamProperties(100, Duration.ofSeconds(15), 100, 10, true);
        this.streamA = new EventStream(properties, Clock.systemUTC());
        this.streamB = new EventStream(properties, Clock.systemUTC());
        this.streamA.start();
        this.streamB.start();
        this.fanOutA = new EventFanOut(
                this.database.dataSource(),
                this.streamA,
                ReplicaIdentityFixtures.named("replica-a"),
                TestDatabase.jsonMapper(),
                (event) -> {});
        this.fanOutB = new EventFanOut(
                this.database.dataSource(),
                this.streamB,
                ReplicaIdentityFixtures.named("replica-b"),
                TestDatabase.jsonMapper(),
                this.publishedOnB::add);
        this.fanOutA.start();
        this.fanOutB.start();
        Awaitility.await("both replicas listening")
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.fanOutA.isJoined() && this.fanOutB.isJoined());
    }

    @AfterEach
    void stop() {
        if (this.database != null) {
            this.fanOutA.stop();
            this.fanOutB.stop();
            this.database.close();
        }
    }

    @Test
    void eventOnOneReplicaShouldReachTheOtherReplicasSubscribersButNotComeBack() throws Exception {
        try (EventStream.Subscription onB = this.streamB.subscribe(null);
                EventStream.Subscription onA = this.streamA.subscribe(null)) {
            this.streamA.on(new RuleAdded(rule("rule-fanned-out"), 0, NOW));

            MeshEventView received = nextOfRule(onB, "rule-fanned-out");
            assertThat(received).as("B's subscriber got A's event").isNotNull();
            assertThat(received.type()).isEqualTo(MeshEventTypes.RULE_ADDED);
            assertThat(received.id()).as("numbered by B's stream").isPositive();
            assertThat(nextOfRule(onA, "rule-fanned-out"))
                    .as("A's own subscriber")
                    .isNotNull();
            assertThat(onA.next(Duration.ofMillis(500)))
                    .as("A's own notification, which B has received by now, is not delivered to A again")
                    .isNull();
        }
    }

    @Test
    void nodeRemovedOnOneReplicaShouldBeAnnouncedOnTheOtherSoItsCacheDropsTheNode() {
        this.streamA.on(new NodeRemoved(
                new NodeRef("node-gone", "gone", "127.0.0.1:9", NodeStatus.OFFLINE), "removed by the operator", NOW));

        Awaitility.await("B announced the removal")
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.publishedOnB.contains(new NodeRemovedElsewhere("node-gone")));
    }

    @Test
    void notificationThatIsNotAnEventShouldChangeNothing() throws Exception {
        try (EventStream.Subscription onB = this.streamB.subscribe(null)) {
            this.fanOutB.receive("not json");
            this.fanOutB.receive("{\"origin\":\"replica-a\"}");
            this.fanOutB.receive("{\"origin\":\"replica-a\",\"event\":{\"type\":42}}");

            assertThat(onB.next(Duration.ofMillis(300))).isNull();
            assertThat(this.publishedOnB).isEmpty();
        }
    }

    @Test
    void payloadShouldFitANotificationWhenTheContentIsLarge() {
        MeshEventView large = MeshEventView.ofMessage(
                0,
                MeshEventTypes.MESSAGE_ROUTED,
                NOW,
                "node-1",
                "alpha",
                "rule-1",
                "msg-1",
                "routed",
                5L,
                1,
                "d".repeat(20_000),
                "c".repeat(20_000));

        String payload = this.fanOutA.payload(large);

        assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(EventFanOut.MAX_PAYLOAD_BYTES);
        assertThat(payload).contains("msg-1").doesNotContain("ccccc");
    }

    private static MeshEventView nextOfRule(EventStream.Subscription subscription, String ruleId)
            throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(until)) {
            MeshEventView event = subscription.next(Duration.ofMillis(500));
            if (event != null && ruleId.equals(event.ruleId())) {
                return event;
            }
        }
        return null;
    }

    private static RoutingRule rule(String id) {
        return new RoutingRule(id, new RuleMatch(true, null, null, null, null, null, null), null, Strategy.LEAST_BUSY);
    }
}
