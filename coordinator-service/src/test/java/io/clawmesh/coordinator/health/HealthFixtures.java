package io.clawmesh.coordinator.health;

import java.time.Duration;

/** Health settings for the sweep tests. */
public final class HealthFixtures {

    /** The heartbeat timeout of SPEC §7. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

    private HealthFixtures() {}

    /** The production defaults: 30 s timeout, self-preservation above half of at least 3 live nodes. */
    public static HealthProperties defaults() {
        return properties(Duration.ofHours(72), 100);
    }

    /** The defaults with another eviction delay and cap. */
    public static HealthProperties properties(Duration deregisterAfter, int maxEvictionsPerSweep) {
        return new HealthProperties(
                HEARTBEAT_TIMEOUT,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(3),
                3,
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                32,
                deregisterAfter,
                0.5,
                3,
                maxEvictionsPerSweep,
                Duration.ofSeconds(1));
    }
}
