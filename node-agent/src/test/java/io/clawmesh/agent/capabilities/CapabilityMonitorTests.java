package io.clawmesh.agent.capabilities;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.Capabilities;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CapabilityMonitorTests {

    private final MutableClock clock = new MutableClock();

    private final AtomicInteger detections = new AtomicInteger();

    @Test
    void currentWhenRefreshIntervalNotPassedShouldReuseLastDetection() {
        CapabilityMonitor monitor = new CapabilityMonitor(this::detect, Duration.ofSeconds(60), this.clock);

        Capabilities first = monitor.current();
        this.clock.advance(Duration.ofSeconds(59));
        Capabilities second = monitor.current();

        assertThat(second).isSameAs(first);
        assertThat(this.detections).hasValue(1);
    }

    @Test
    void currentWhenRefreshIntervalPassedShouldDetectAgain() {
        CapabilityMonitor monitor = new CapabilityMonitor(this::detect, Duration.ofSeconds(60), this.clock);

        monitor.current();
        this.clock.advance(Duration.ofSeconds(60));
        Capabilities refreshed = monitor.current();

        assertThat(this.detections).hasValue(2);
        assertThat(refreshed.memoryGb()).isEqualTo(2);
    }

    private Capabilities detect() {
        int count = this.detections.incrementAndGet();
        return new Capabilities("linux", "amd64", false, count, List.of(), List.of());
    }

    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-11-23T23:00:00Z");

        void advance(Duration duration) {
            this.now = this.now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return this.now;
        }
    }
}
