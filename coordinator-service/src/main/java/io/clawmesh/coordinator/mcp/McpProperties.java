package io.clawmesh.coordinator.mcp;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The MCP server ({@code mesh.mcp.*}).
 *
 * @param enabled serve {@code /mcp} at all
 * @param allowedOrigins browser origins ({@code https://chat.example.com}, {@code http://localhost:*}) whose pages may
 *     call {@code /mcp}; a request with any other {@code Origin} header is refused with 403 (DNS rebinding). Native
 *     clients send no {@code Origin} and are not affected
 * @param replyWait how long {@code send_message} waits for the reply before it answers with the task id instead
 * @param keepAlive how often an idle MCP session is pinged
 */
@ConfigurationProperties("mesh.mcp")
public record McpProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("60s") Duration replyWait,
        @DefaultValue("30s") Duration keepAlive) {

    public McpProperties {
        allowedOrigins = List.copyOf(allowedOrigins);
        if (replyWait.isNegative() || replyWait.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("mesh.mcp.reply-wait must be between 0s and 10m, not " + replyWait);
        }
    }
}
