package io.clawmesh.agent.seed;

import io.clawmesh.agent.registration.RegistrationState;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.client.RestClientException;

/**
 * Runs seed sync once, as soon as the node has joined (seed files need the node token), on a virtual thread of its own
 * so registration and heartbeats never wait for it. A failed sync is logged and the node runs without it.
 */
public class SeedSyncTask implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(SeedSyncTask.class);

    private static final Duration POLL = Duration.ofMillis(500);

    private final SeedSync sync;

    private final RegistrationState state;

    private final boolean enabled;

    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile @Nullable Thread thread;

    /** A task that syncs once after joining when {@code enabled}, and does nothing otherwise. */
    public SeedSyncTask(SeedSync sync, RegistrationState state, boolean enabled) {
        this.sync = sync;
        this.state = state;
        this.enabled = enabled;
    }

    @Override
    public void start() {
        if (!this.enabled) {
            return;
        }
        this.thread = Thread.ofVirtual().name("seed-sync").start(this::run);
    }

    private void run() {
        try {
            while (this.state.identity().isEmpty()) {
                if (this.stopped.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            this.sync.sync();
        } catch (RestClientException ex) {
            logger.warn("Seed sync failed ({}); the node runs with its own config and workspace", ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            logger.warn("Seed sync failed unexpectedly; the node runs with its own config and workspace", ex);
        }
    }

    @Override
    public void stop() {
        this.stopped.countDown();
        this.thread = null;
    }

    @Override
    public boolean isRunning() {
        return this.thread != null;
    }
}
