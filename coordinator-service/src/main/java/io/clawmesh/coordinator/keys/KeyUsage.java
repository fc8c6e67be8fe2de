package io.clawmesh.coordinator.keys;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts the uses of client keys in memory and writes them in batches ({@code last_used_at}, {@code use_count}): one
 * update per used key every {@code mesh.keys.usage-flush-interval} (default 2 s), and once more at shutdown, never a
 * database write on the request's path. Several replicas add their counts to the same rows.
 */
@Component
public class KeyUsage implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(KeyUsage.class);

    private final ClientKeyRepository repository;

    private final Clock clock;

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private volatile boolean running;

    public KeyUsage(ClientKeyRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    private record Pending(long uses, Instant last) {}

    /** Counts one use of a key, now. */
    public void record(String keyId) {
        Instant now = this.clock.instant();
        this.pending.merge(keyId, new Pending(1, now), (a, b) -> new Pending(a.uses + b.uses, b.last));
    }

    /** Writes what was counted since the last flush. */
    @Scheduled(fixedDelayString = "${mesh.keys.usage-flush-interval:2s}")
    public void flush() {
        for (String id : this.pending.keySet()) {
            Pending uses = this.pending.remove(id);
            if (uses == null) {
                continue;
            }
            try {
                this.repository.recordUse(id, uses.uses, uses.last);
            } catch (RuntimeException ex) {
                // put them back for the next flush
                this.pending.merge(
                        id, uses, (a, b) -> new Pending(a.uses + b.uses, a.last.isAfter(b.last) ? a.last : b.last));
                logger.warn("Could not record the use of client key {}: {}", id, ex.getMessage());
            }
        }
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        flush();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }
}
