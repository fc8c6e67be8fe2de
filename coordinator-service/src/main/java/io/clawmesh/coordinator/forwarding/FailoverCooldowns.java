package io.clawmesh.coordinator.forwarding;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Nodes that just failed a forward are kept out of automatic selection until their cooldown ends or a probe
 * succeeds. Per replica and in memory: losing it only means one more failed attempt.
 */
@Component
public class FailoverCooldowns {

    private final Map<String, Instant> coolingUntil = new ConcurrentHashMap<>();

    private final ForwardingProperties properties;

    private final Clock clock;

    public FailoverCooldowns(ForwardingProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    public void coolDown(String nodeId) {
        this.coolingUntil.put(nodeId, this.clock.instant().plus(this.properties.cooldown()));
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
