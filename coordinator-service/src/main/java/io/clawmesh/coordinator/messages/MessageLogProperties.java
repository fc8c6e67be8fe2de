package io.clawmesh.coordinator.messages;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Message log settings ({@code mesh.messages.*}).
 *
 * @param enabled whether routed messages are logged at all
 * @param maxRows the log keeps about this many most recent messages
 * @param flushInterval how often buffered records are written in one batch
 * @param bufferSize records waiting to be written; when full, the routing thread writes itself (back-pressure, nothing
 *     is dropped)
 */
@ConfigurationProperties("mesh.messages")
public record MessageLogProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10000") int maxRows,
        @DefaultValue("200ms") Duration flushInterval,
        @DefaultValue("20000") int bufferSize) {}
