package io.clawmesh.agent.outbound;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbound agent's connection ({@code mesh.agent.link.*}); whether the agent dials out at all is
 * {@code mesh.agent.connect}.
 *
 * @param pingInterval how often the agent pings the coordinator
 * @param watchdog how long the agent waits without hearing anything (pong, frame) before it reconnects
 * @param connectTimeout how long opening the connection, and sending one frame, may take
 * @param backoffInitial the first delay before reconnecting
 * @param backoffMax the longest delay between reconnects
 */
@ConfigurationProperties("mesh.agent.link")
public record LinkProperties(
        @DefaultValue("10s") Duration pingInterval,
        @DefaultValue("30s") Duration watchdog,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("500ms") Duration backoffInitial,
        @DefaultValue("30s") Duration backoffMax) {}
