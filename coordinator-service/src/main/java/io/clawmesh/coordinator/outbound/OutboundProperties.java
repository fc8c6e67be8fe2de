package io.clawmesh.coordinator.outbound;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Outbound agents' connections ({@code mesh.outbound.*}).
 *
 * @param grace how long a node whose connection dropped stays as it was before it is marked offline, unless its agent
 *     reconnects meanwhile
 * @param sendTimeLimit how long one frame may take to go out before the connection counts as stuck and is closed
 * @param sendBufferSize how much may wait to go out on one connection; beyond it the connection is closed (a slow
 *     agent must not hold the coordinator's memory or threads)
 * @param maxBufferedReply how much of one exchange's answer may wait unread before the exchange is dropped
 */
@ConfigurationProperties("mesh.outbound")
public record OutboundProperties(
        @DefaultValue("10s") Duration grace,
        @DefaultValue("10s") Duration sendTimeLimit,
        @DefaultValue("4MB") DataSize sendBufferSize,
        @DefaultValue("16MB") DataSize maxBufferedReply) {}
