package io.clawmesh.coordinator.forwarding;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Forwarding settings ({@code mesh.forwarding.*}).
 *
 * @param timeout how long to wait for a node's answer; longer than any runtime's own timeout, since agent turns can
 *     take minutes
 * @param connectTimeout how long to wait for a connection to a node before failing over
 * @param maxAttempts how many nodes one message may be tried on
 * @param cooldown how long a node that failed a forward is kept out of automatic selection
 * @param shutdownGrace how long a stopping coordinator lets in-flight forwards finish
 * @param maxConnections pooled keep-alive connections to agents, in all and per agent
 */
@ConfigurationProperties("mesh.forwarding")
public record ForwardingProperties(
        @DefaultValue("10m") Duration timeout,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("30s") Duration cooldown,
        @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue("512") int maxConnections) {}
