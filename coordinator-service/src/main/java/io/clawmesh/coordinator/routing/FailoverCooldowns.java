package io.clawmesh.coordinator.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nodes that just failed a forward are kept out of automatic selection until their cooldown ends or a probe
 * succeeds. Per replica and in memory: losing it only means one more failed attempt. Routing owns it because
 * candidate selection reads it; forwarding and health only report failures and recoveries.
 */
public class FailoverCooldowns {

    private final Map<String, Instant> coolingUntil = new ConcurrentHashMap<>();

    private final Duration cooldown;

    private final Clock clock;

    /** Keeps a node out for {@code cooldown} after a failed forward ({@code mesh.forwarding.cooldown}). */
    public FailoverCooldowns(Duration cooldown, Clock clock) {
        this.cooldown = cooldown;
        this.clock = clock;
    }

    public void coolDown(String nodeId) {
        this.coolingUntil.put(nodeId, this.clock.instant().plus(this.cooldown));
    }

    public boolean isCooling(String nodeId) {
        if (this.coolingUntil.isEmpty()) {
            return false;
        }
        Instant until = this.coolingUntil.get(nodeId);
        if (until == null) {
            return false;
        }
        if (until.isBefore(this.clock.instant())) {
            this.coolingUntil.remove(nodeId, until);
            return false;
        }
        return true;
    }

    /** Ends a cooldown early: a probe showed the node is fine. */
    public void clear(String nodeId) {
        this.coolingUntil.remove(nodeId);
    }
}
