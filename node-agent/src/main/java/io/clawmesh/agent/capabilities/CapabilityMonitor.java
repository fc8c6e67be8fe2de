package io.clawmesh.agent.capabilities;

import io.clawmesh.common.node.Capabilities;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest detected capabilities and detects them again once they are older than the refresh interval. The
 * heartbeat asks it on every beat and sends the capabilities when they changed.
 */
public class CapabilityMonitor {

    private static final Logger logger = LoggerFactory.getLogger(CapabilityMonitor.class);

    private final Supplier<Capabilities> detector;

    private final Duration refresh;

    private final Clock clock;

    private @Nullable Capabilities current;

    private Instant nextDetection = Instant.MIN;

    public CapabilityMonitor(Supplier<Capabilities> detector, Duration refresh, Clock clock) {
        this.detector = detector;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The capabilities, detected again first when the last detection is older than the refresh interval. */
    public synchronized Capabilities current() {
        Instant now = this.clock.instant();
        Capabilities known = this.current;
        if (known != null && now.isBefore(this.nextDetection)) {
            return known;
        }
        Capabilities detected = this.detector.get();
        this.nextDetection = now.plus(this.refresh);
        if (known == null) {
            logger.info("Detected capabilities: {}", describe(detected));
        } else if (!known.equals(detected)) {
            logger.info("Capabilities changed: {}", describe(detected));
        }
        this.current = detected;
        return detected;
    }

    private static String describe(Capabilities capabilities) {
        return "os=" + capabilities.os() + " arch=" + capabilities.arch() + " gpu=" + capabilities.gpu()
                + " memory_gb=" + capabilities.memoryGb() + " tags=" + capabilities.tags() + " skills="
                + capabilities.skills();
    }
}
