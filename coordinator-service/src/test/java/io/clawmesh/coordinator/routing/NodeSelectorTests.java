package io.clawmesh.coordinator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeSelectorTests {

    /** The nodes' last heartbeat is {@link MutableClock#START}; messages sent now began after it. */
    private final MutableClock clock = new MutableClock(MutableClock.START.plusSeconds(1));

    private final InflightTracker inflight = new InflightTracker(this.clock);

    private final RandomGenerator random = new SplittableRandom(20261123L);

    private final NodeSelector selector = new NodeSelector(this.inflight, () -> this.random);

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void selectWhenOneCandidateShouldPickItWithAnyStrategy(Strategy strategy) {
        Node only = RoutingFixtures.node(1, 4, 4);

        assertThat(this.selector.select(strategy, "rule", List.of(only), "session"))
                .isSameAs(only);
    }

    @Test
    void leastBusyWhenLoadsDifferShouldPickTheLowestInflightToCapacityRatio() {
        Node half = RoutingFixtures.node(1, 4, 2);
        Node third = RoutingFixtures.node(2, 9, 3);
        Node threeQuarters = RoutingFixtures.node(3, 4, 3);

        for (int i = 0; i < 50; i++) {
            assertThat(this.selector.select(Strategy.LEAST_BUSY, "*", List.of(half, third, threeQuarters), null))
                    .isSameAs(third);
        }
    }

    @Test
    void leastBusyWhenCapacitiesDifferShouldCompareRatiosNotCounts() {
        Node big = RoutingFixtures.node(1, 100, 10);
        Node small = RoutingFixtures.node(2, 2, 1);

        assertThat(this.selector.select(Strategy.LEAST_BUSY, "*", List.of(small, big), null))
                .isSameAs(big);
    }

    @Test
    void loadShouldBeTheReportedCountPlusWhatThisReplicaSentSinceTheHeartbeat() {
        Node first = RoutingFixtures.node(1, 10, 2);
        Node second = RoutingFixtures.node(2, 10, 3);
        for (int i = 0; i < 5; i++) {
            this.inflight.increment(first.id());
        }

        assertThat(this.selector.load(first))
                .as("the agent's 2 (other replicas' among them) and this replica's 5 sent after that count")
                .isEqualTo(7);
        assertThat(this.selector.select(Strategy.LEAST_BUSY, "*", List.of(first, second), null))
                .isSameAs(second);
    }

    @Test
    void loadShouldNotCountTwiceWhatTheHeartbeatAlreadyCounted() {
        this.clock.advance(Duration.ofSeconds(-10));
        Node reported = RoutingFixtures.node(1, 10, 3);
        for (int i = 0; i < 3; i++) {
            this.inflight.increment(reported.id());
        }
        this.clock.advance(Duration.ofSeconds(20));
        this.inflight.increment(reported.id());

        assertThat(this.selector.load(reported))
                .as("3 sent before the heartbeat are in its count of 3; 1 sent after is added")
                .isEqualTo(4);
    }

    @Test
    void loadWhenTwoReplicasRouteToOneNodeShouldCountBothThroughTheHeartbeat() {
        InflightTracker replicaB = new InflightTracker(this.clock);
        NodeSelector selectorB = new NodeSelector(replicaB, () -> this.random);
        this.clock.advance(Duration.ofSeconds(-10));
        Node node = RoutingFixtures.node(1, 10, 0);
        this.inflight.increment(node.id());
        this.inflight.increment(node.id());
        replicaB.increment(node.id());
        this.clock.advance(Duration.ofSeconds(20));
        // the agent counted all three in the heartbeat at START (the node as both replicas read it now)
        Node afterHeartbeat = RoutingFixtures.node(1, 10, 3);
        replicaB.increment(node.id());

        assertThat(this.selector.load(afterHeartbeat)).as("A: the agent's 3").isEqualTo(3);
        assertThat(selectorB.load(afterHeartbeat))
                .as("B: the agent's 3 and its own sent since")
                .isEqualTo(4);
        assertThat(this.inflight.get(node.id()) + replicaB.get(node.id()))
                .as("the per-replica counts, which a max() of one of them would under-count")
                .isEqualTo(4);
    }

    @Test
    void loadWhenNodeNeverReportedShouldCountEverythingInFlightHere() {
        Node fresh = RoutingFixtures.node(1, 10, 0);
        Node neverReported = new Node(
                fresh.id(),
                fresh.name(),
                fresh.endpoint(),
                fresh.capabilities(),
                fresh.status(),
                null,
                fresh.runtime(),
                0,
                fresh.capacity(),
                fresh.tokenHash(),
                fresh.registeredAt(),
                fresh.statusChangedAt());
        this.clock.advance(Duration.ofSeconds(-10));
        this.inflight.increment(fresh.id());
        this.inflight.increment(fresh.id());

        assertThat(this.selector.load(neverReported)).isEqualTo(2);
    }

    @Test
    void leastBusyWhenNodeReportsMoreThanLocalShouldCountTheReportedFigure() {
        Node first = RoutingFixtures.node(1, 10, 6);
        Node second = RoutingFixtures.node(2, 10, 0);
        for (int i = 0; i < 4; i++) {
            this.inflight.increment(second.id());
        }

        assertThat(this.selector.load(first)).isEqualTo(6);
        assertThat(this.selector.select(Strategy.LEAST_BUSY, "*", List.of(first, second), null))
                .isSameAs(second);
    }

    @Test
    void leastBusyWhenLocalInflightEndsShouldSeeTheNodeFreeAgain() {
        Node first = RoutingFixtures.node(1, 1, 0);
        Node second = RoutingFixtures.node(2, 2, 1);
        this.inflight.increment(first.id());
        assertThat(this.selector.select(Strategy.LEAST_BUSY, "*", List.of(first, second), null))
                .isSameAs(second);

        this.inflight.decrement(first.id());

        assertThat(this.selector.select(Strategy.LEAST_BUSY, "*", List.of(first, second), null))
                .isSameAs(first);
    }

    @Test
    void leastBusyWhenThreeNodesTieShouldSpreadThePicksEvenly() {
        List<Node> nodes = RoutingFixtures.equalNodes(3, 4);

        Map<String, Integer> counts = pick(Strategy.LEAST_BUSY, nodes, 3000);

        assertThat(counts).hasSize(3);
        assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isBetween(750, 1260));
    }

    @Test
    void leastBusyWhenTwoOfThreeTieForLowestShouldNeverPickTheBusyOne() {
        List<Node> nodes =
                List.of(RoutingFixtures.node(1, 4, 1), RoutingFixtures.node(2, 4, 3), RoutingFixtures.node(3, 4, 1));

        Map<String, Integer> counts = pick(Strategy.LEAST_BUSY, nodes, 1000);

        assertThat(counts).doesNotContainKey(nodes.get(1).id());
        assertThat(counts.get(nodes.get(0).id())).isBetween(400, 600);
        assertThat(counts.get(nodes.get(2).id())).isBetween(400, 600);
    }

    @Test
    void roundRobinWhenCandidatesComeUnorderedShouldCycleInIdOrder() {
        List<Node> nodes = RoutingFixtures.equalNodes(3, 4);
        List<Node> shuffled = List.of(nodes.get(2), nodes.get(0), nodes.get(1));

        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picks.add(this.selector
                    .select(Strategy.ROUND_ROBIN, "rule-a", shuffled, null)
                    .id());
        }

        assertThat(picks)
                .containsExactly(
                        nodes.get(0).id(),
                        nodes.get(1).id(),
                        nodes.get(2).id(),
                        nodes.get(0).id(),
                        nodes.get(1).id(),
                        nodes.get(2).id(),
                        nodes.get(0).id());
    }

    @Test
    void roundRobinWhenKeysDifferShouldKeepSeparateTurns() {
        List<Node> nodes = RoutingFixtures.equalNodes(3, 4);

        assertThat(this.selector.select(Strategy.ROUND_ROBIN, "rule-a", nodes, null))
                .isSameAs(nodes.get(0));
        assertThat(this.selector.select(Strategy.ROUND_ROBIN, "rule-a", nodes, null))
                .isSameAs(nodes.get(1));
        assertThat(this.selector.select(Strategy.ROUND_ROBIN, "rule-b", nodes, null))
                .isSameAs(nodes.get(0));
        assertThat(this.selector.select(Strategy.ROUND_ROBIN, "rule-a", nodes, null))
                .isSameAs(nodes.get(2));
        assertThat(this.selector.select(Strategy.ROUND_ROBIN, "rule-b", nodes, null))
                .isSameAs(nodes.get(1));
    }

    @Test
    void roundRobinWhenCandidatesShrinkShouldStillPickOneOfThem() {
        List<Node> nodes = RoutingFixtures.equalNodes(3, 4);
        this.selector.select(Strategy.ROUND_ROBIN, "rule-a", nodes, null);
        this.selector.select(Strategy.ROUND_ROBIN, "rule-a", nodes, null);

        List<Node> fewer = nodes.subList(0, 2);

        assertThat(this.selector.select(Strategy.ROUND_ROBIN, "rule-a", fewer, null))
                .isIn(fewer);
    }

    @Test
    void randomWhenManyPicksShouldReachEveryNodeAboutEqually() {
        List<Node> nodes = RoutingFixtures.equalNodes(3, 4);

        Map<String, Integer> counts = pick(Strategy.RANDOM, nodes, 3000);

        assertThat(counts).hasSize(3);
        assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isBetween(750, 1260));
    }

    @Test
    void randomWhenLoadsDifferShouldIgnoreThem() {
        List<Node> nodes = List.of(RoutingFixtures.node(1, 4, 0), RoutingFixtures.node(2, 4, 4));

        Map<String, Integer> counts = pick(Strategy.RANDOM, nodes, 1000);

        assertThat(counts.get(nodes.get(1).id())).isBetween(400, 600);
    }

    @Test
    void weightedWhenCapacitiesOneAndThreeShouldSplitAboutOneToThree() {
        Node small = RoutingFixtures.node(1, 1, 0);
        Node large = RoutingFixtures.node(2, 3, 0);

        Map<String, Integer> counts = pick(Strategy.WEIGHTED, List.of(small, large), 4000);

        assertThat(counts.get(small.id())).isBetween(880, 1120);
        assertThat(counts.get(large.id())).isBetween(2880, 3120);
    }

    @Test
    void weightedWhenOneNodeHasAlmostAllCapacityShouldStillSometimesPickTheOther() {
        Node tiny = RoutingFixtures.node(1, 1, 0);
        Node huge = RoutingFixtures.node(2, 99, 0);

        Map<String, Integer> counts = pick(Strategy.WEIGHTED, List.of(tiny, huge), 10000);

        assertThat(counts.get(tiny.id())).isBetween(50, 150);
    }

    @Test
    void stickyWhenSameSessionKeyShouldAlwaysPickTheSameNode() {
        List<Node> nodes = RoutingFixtures.equalNodes(5, 4);
        Node first = this.selector.select(Strategy.STICKY, "rule", nodes, "session-42");

        for (int i = 0; i < 20; i++) {
            assertThat(this.selector.select(Strategy.STICKY, "rule", nodes, "session-42"))
                    .isSameAs(first);
        }
        assertThat(this.selector.select(Strategy.STICKY, "rule", nodes.reversed(), "session-42"))
                .isSameAs(first);
    }

    @Test
    void stickyWhenSessionOnAnotherNodeGetsBusyShouldNotMoveIt() {
        List<Node> nodes = RoutingFixtures.equalNodes(3, 4);
        Node chosen = this.selector.select(Strategy.STICKY, "rule", nodes, "session-1");
        for (int i = 0; i < 3; i++) {
            this.inflight.increment(chosen.id());
        }

        assertThat(this.selector.select(Strategy.STICKY, "rule", nodes, "session-1"))
                .isSameAs(chosen);
    }

    @Test
    void stickyWhenManySessionsShouldSpreadThemOverAllNodes() {
        List<Node> nodes = RoutingFixtures.equalNodes(5, 4);

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            counts.merge(
                    this.selector
                            .select(Strategy.STICKY, "rule", nodes, "session-" + i)
                            .id(),
                    1,
                    Integer::sum);
        }

        assertThat(counts).hasSize(5);
        assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isBetween(800, 1200));
    }

    @Test
    void stickyWhenANodeIsRemovedShouldMoveOnlyTheSessionsOfThatNode() {
        List<Node> nodes = RoutingFixtures.equalNodes(5, 4);
        Node removed = nodes.get(2);
        List<Node> remaining = nodes.stream().filter((node) -> node != removed).toList();

        int moved = 0;
        for (int i = 0; i < 2000; i++) {
            String session = "session-" + i;
            Node before = this.selector.select(Strategy.STICKY, "rule", nodes, session);
            Node after = this.selector.select(Strategy.STICKY, "rule", remaining, session);
            if (before == removed) {
                assertThat(after).isIn(remaining);
                moved++;
            } else {
                assertThat(after)
                        .as("session %s must stay on its node", session)
                        .isSameAs(before);
            }
        }
        assertThat(moved).isBetween(300, 500);
    }

    @Test
    void stickyWhenANodeJoinsShouldMoveOnlySessionsToTheNewNode() {
        List<Node> nodes = RoutingFixtures.equalNodes(4, 4);
        Node joined = RoutingFixtures.node(99, 4, 0);
        List<Node> more = new ArrayList<>(nodes);
        more.add(joined);

        for (int i = 0; i < 2000; i++) {
            String session = "session-" + i;
            Node before = this.selector.select(Strategy.STICKY, "rule", nodes, session);
            Node after = this.selector.select(Strategy.STICKY, "rule", more, session);
            assertThat(after).isIn(before, joined);
        }
    }

    @Test
    void stickyWhenNoSessionKeyShouldFallBackToLeastBusy() {
        Node busy = RoutingFixtures.node(1, 4, 3);
        Node idle = RoutingFixtures.node(2, 4, 0);
        Node half = RoutingFixtures.node(3, 4, 2);

        for (int i = 0; i < 50; i++) {
            assertThat(this.selector.select(Strategy.STICKY, "rule", List.of(busy, idle, half), null))
                    .isSameAs(idle);
        }
    }

    private Map<String, Integer> pick(Strategy strategy, List<Node> nodes, int times) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < times; i++) {
            counts.merge(this.selector.select(strategy, "rule", nodes, null).id(), 1, Integer::sum);
        }
        return counts;
    }
}
