package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.messages.MessageLogProperties;
import io.clawmesh.coordinator.messages.MessageRecord;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import java.time.Duration;

/** Message records, message log and forwarding settings, and nodes at a given endpoint, for the forwarding tests. */
public final class ForwardingFixtures {

    private ForwardingFixtures() {}

    /** A routed message numbered {@code n}, with every column set. */
    public static MessageRecord routed(int n) {
        return new MessageRecord(
                "msg-" + n,
                "node-0000000000000001",
                "mac-mini",
                MessageRecord.Outcome.ROUTED,
                200,
                40 + n,
                1,
                "rule-000000000001",
                "cli",
                null,
                MutableClock.START.plusMillis(n));
    }

    /** A message that found no node: no node, no rule, an error. */
    public static MessageRecord noRoute(int n) {
        return new MessageRecord(
                "msg-" + n,
                null,
                null,
                MessageRecord.Outcome.NO_ROUTE,
                503,
                1,
                0,
                null,
                null,
                "no nodes are registered",
                MutableClock.START.plusMillis(n));
    }

    public static MessageLogProperties properties(int maxRows) {
        return properties(maxRows, 20000);
    }

    /** Logging on; a buffer below 1000 still holds 1000, the size of one batch. */
    public static MessageLogProperties properties(int maxRows, int bufferSize) {
        return new MessageLogProperties(true, maxRows, Duration.ofMillis(200), bufferSize);
    }

    public static MessageLogProperties disabled() {
        return new MessageLogProperties(false, 10000, Duration.ofMillis(200), 20000);
    }

    /**
     * Forwarding settings for tests against agents on loopback: a short answer timeout, a 30 s cooldown, a small pool.
     */
    public static ForwardingProperties forwarding(Duration timeout, int maxAttempts) {
        return new ForwardingProperties(
                timeout, Duration.ofSeconds(1), maxAttempts, Duration.ofSeconds(30), Duration.ofSeconds(1), 16);
    }

    /** An online node at {@code endpoint}; its token hash is derived from its id. */
    public static Node node(String id, String name, String endpoint) {
        return new Node(
                id,
                name,
                endpoint,
                RegistryFixtures.linuxGpu(),
                NodeStatus.ONLINE,
                MutableClock.START,
                RuntimeInfo.echo(),
                0,
                4,
                NodeCredentials.hash("token-of-" + id),
                MutableClock.START,
                MutableClock.START);
    }
}
