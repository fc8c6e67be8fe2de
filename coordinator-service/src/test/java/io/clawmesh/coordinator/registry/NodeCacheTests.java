package io.clawmesh.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeCacheTests {

    private final MutableClock clock = new MutableClock();

    private final TestDatabase database = TestDatabase.h2();

    private final NodeCache cache = RegistryFixtures.cache(RegistryFixtures.repository(this.database), this.clock);

    @AfterEach
    void tearDown() {
        this.database.close();
    }

    @Test
    void routableWhenMostNodesGoOfflineShouldHoldOnlyTheRoutableOnes() {
        List<Node> nodes = IntStream.range(0, 1000)
                .mapToObj((i) -> RegistryFixtures.node("node-%016x".formatted(i), 4, 0))
                .toList();
        nodes.forEach(this.cache::put);
        assertThat(this.cache.routable()).hasSize(1000);

        nodes.subList(3, 1000)
                .forEach((node) -> this.cache.put(node.withStatus(NodeStatus.OFFLINE, this.clock.instant())));

        assertThat(this.cache.routable())
                .extracting(Node::id)
                .containsExactlyInAnyOrder(
                        nodes.get(0).id(), nodes.get(1).id(), nodes.get(2).id());
        assertThat(this.cache.all()).hasSize(1000);

        this.cache.put(nodes.get(500));
        assertThat(this.cache.routable()).hasSize(4);
    }

    @Test
    void putReadWhenNodeWasRemovedAfterTheReadShouldNotResurrectIt() {
        Node node = RegistryFixtures.node("node-0000000000000001", 4, 0);
        this.cache.put(node);
        var readAt = this.clock.instant();
        this.clock.advance(Duration.ofMillis(10));
        this.cache.remove(node.id());

        this.cache.putRead(node, readAt);

        assertThat(this.cache.get(node.id())).isEmpty();
        assertThat(this.cache.routable()).isEmpty();
    }

    @Test
    void putReadWhenReadStartedAfterTheRemovalShouldPutIt() {
        Node node = RegistryFixtures.node("node-0000000000000001", 4, 0);
        this.cache.remove(node.id());
        this.clock.advance(Duration.ofMillis(10));

        this.cache.putRead(node, this.clock.instant());

        assertThat(this.cache.get(node.id())).contains(node);
    }
}
