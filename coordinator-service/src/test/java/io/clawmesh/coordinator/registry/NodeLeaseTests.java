package io.clawmesh.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeLeaseTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();

    private final NodeLease lease = new NodeLease(this.clock.instant());

    @Test
    void isExpiredWhenWithinTheTimeoutShouldBeFalse() {
        this.clock.advance(Duration.ofSeconds(29));

        assertThat(this.lease.isExpired(this.clock.instant(), TIMEOUT)).isFalse();
    }

    @Test
    void isExpiredWhenExactlyAtTheTimeoutShouldBeFalse() {
        this.clock.advance(TIMEOUT);

        assertThat(this.lease.isExpired(this.clock.instant(), TIMEOUT)).isFalse();
    }

    @Test
    void isExpiredWhenPastTheTimeoutShouldBeTrue() {
        this.clock.advance(TIMEOUT.plusMillis(1));

        assertThat(this.lease.isExpired(this.clock.instant(), TIMEOUT)).isTrue();
    }

    @Test
    void ageWhenTimePassedShouldBeTheTimeSinceRenewal() {
        this.clock.advance(Duration.ofSeconds(42));

        assertThat(this.lease.age(this.clock.instant())).isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void ageWhenClockWentBackwardsShouldBeZero() {
        assertThat(this.lease.age(this.clock.instant().minusSeconds(5))).isEqualTo(Duration.ZERO);
        assertThat(this.lease.isExpired(this.clock.instant().minusSeconds(5), TIMEOUT))
                .isFalse();
    }

    @Test
    void leaseWhenNodeHasHeartbeatShouldStartAtTheLastHeartbeat() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "gpu-1");

        assertThat(node.lease().lastRenewal()).isEqualTo(node.lastHeartbeat());
    }

    @Test
    void leaseWhenNodeNeverSentHeartbeatShouldStartAtRegistration() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "gpu-1");
        Node silent = new Node(
                node.id(),
                node.name(),
                node.endpoint(),
                node.capabilities(),
                node.status(),
                null,
                node.runtime(),
                node.reportedInflight(),
                node.capacity(),
                node.tokenHash(),
                node.registeredAt(),
                node.statusChangedAt());

        assertThat(silent.lease().lastRenewal()).isEqualTo(node.registeredAt());
    }

    @Test
    void withStatusWhenStatusChangesShouldMoveTheChangeTimeOnly() {
        Node node = RegistryFixtures.node("node-0000000000000001", 4, 0);
        Instant later = this.clock.advance(Duration.ofMinutes(1));

        Node offline = node.withStatus(NodeStatus.OFFLINE, later);

        assertThat(offline.status()).isEqualTo(NodeStatus.OFFLINE);
        assertThat(offline.statusChangedAt()).isEqualTo(later);
        assertThat(offline.lastHeartbeat()).isEqualTo(node.lastHeartbeat());
        assertThat(node.withStatus(NodeStatus.ONLINE, later)).isSameAs(node);
    }
}
