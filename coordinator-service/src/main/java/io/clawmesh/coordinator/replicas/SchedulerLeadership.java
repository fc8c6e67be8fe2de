package io.clawmesh.coordinator.replicas;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which replica runs the scheduled work that must run once (lease sweeps, probes, eviction, retention): the holder of
 * one ShedLock lease, {@value #LEASE}, renewed every {@code mesh.replicas.heartbeat-interval}. One holder keeps the
 * in-memory state of that work (probe failure counts, self-preservation) in one place; when it dies, its lease ends
 * after {@code mesh.replicas.leader-lease} and another replica takes over. On H2 (one coordinator) it always wins.
 */
@Component
public class SchedulerLeadership implements SmartLifecycle {

    /** The lease's row in the {@code shedlock} table. */
    public static final String LEASE = "scheduler-leader";

    private static final Logger logger = LoggerFactory.getLogger(SchedulerLeadership.class);

    private final LockProvider locks;

    private final ReplicaIdentity identity;

    private final ReplicaProperties properties;

    private final MeterRegistry meters;

    private final Clock clock;

    private @Nullable SimpleLock lease;

    /** This replica's own clock: until when it may act as leader without a renewal. */
    private volatile Instant leaderUntil = Instant.EPOCH;

    private volatile boolean running;

    public SchedulerLeadership(
            LockProvider locks,
            ReplicaIdentity identity,
            ReplicaProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.locks = locks;
        this.identity = identity;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    /** Takes the lease when it is free, or renews it when this replica holds it. */
    @Scheduled(
            fixedDelayString = "${mesh.replicas.heartbeat-interval:2s}",
            initialDelayString = "${mesh.replicas.heartbeat-interval:2s}")
    public synchronized void renew() {
        if (!this.running) {
            return;
        }
        Instant now = this.clock.instant();
        Duration duration = this.properties.leaderLease();
        try {
            SimpleLock current = this.lease;
            Optional<SimpleLock> held = (current != null)
                    ? current.extend(duration, Duration.ZERO)
                    : this.locks.lock(new LockConfiguration(now, LEASE, duration, Duration.ZERO));
            if (held.isPresent()) {
                if (current == null) {
                    logger.info("Replica {} now runs the scheduled sweeps, probes and retention", this.identity);
                }
                this.lease = held.get();
                // a margin of one renewal: stop acting before the database lets another replica take over
                this.leaderUntil = now.plus(duration).minus(this.properties.heartbeatInterval());
            } else if (current != null) {
                lose("another replica holds the lease");
            }
        } catch (RuntimeException ex) {
            if (current() != null && !isLeader()) {
                lose("the database did not answer: " + ex.getMessage());
            }
            logger.debug("Scheduler lease not renewed", ex);
        }
    }

    private @Nullable SimpleLock current() {
        return this.lease;
    }

    private void lose(String reason) {
        this.lease = null;
        this.leaderUntil = Instant.EPOCH;
        logger.warn("Replica {} no longer runs the scheduled work: {}", this.identity, reason);
    }

    /** Whether this replica holds the lease now. */
    public boolean isLeader() {
        return this.clock.instant().isBefore(this.leaderUntil);
    }

    /**
     * Runs one scheduled job if this replica is the leader, counting it in {@code mesh.replicas.leader.runs}.
     *
     * @return whether it ran
     */
    public boolean runIfLeader(String job, Runnable work) {
        if (!isLeader()) {
            return false;
        }
        this.meters.counter("mesh.replicas.leader.runs", "job", job).increment();
        work.run();
        return true;
    }

    @Override
    public void start() {
        this.running = true;
        renew();
    }

    /** Leaving cleanly hands the lease over at once instead of after it ends. */
    @Override
    public synchronized void stop() {
        this.running = false;
        SimpleLock current = this.lease;
        this.lease = null;
        this.leaderUntil = Instant.EPOCH;
        if (current != null) {
            try {
                current.unlock();
            } catch (RuntimeException ex) {
                logger.debug("Scheduler lease not released; it ends by itself", ex);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Just after the replica registry: a leader is a registered replica. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1001;
    }
}
