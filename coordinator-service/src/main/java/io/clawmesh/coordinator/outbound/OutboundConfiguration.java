package io.clawmesh.coordinator.outbound;

import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.EndpointReachability;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.NodeTokenRotation;
import io.clawmesh.coordinator.security.ProblemWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires outbound agents' connections: the WebSocket endpoint behind the API security chain (node token), frame size
 * limits on Tomcat's container, and the {@code auto} connect-mode probe the registry uses.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundConfiguration implements WebSocketConfigurer {

    /** A connection that carries nothing (not even the agent's pings) for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(90);

    private final AgentLinks links;

    private final NodeRegistry registry;

    private final OutboundProperties properties;

    private final ProblemWriter problems;

    private final JsonMapper json;

    private final NodeTokenRotation rotation;

    public OutboundConfiguration(
            AgentLinks links,
            NodeRegistry registry,
            OutboundProperties properties,
            ProblemWriter problems,
            JsonMapper json,
            NodeTokenRotation rotation) {
        this.rotation = rotation;
        this.links = links;
        this.registry = registry;
        this.properties = properties;
        this.problems = problems;
        // a newer agent may send fields this coordinator does not know yet
        this.json = json.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(
                        new AgentSocketHandler(this.links, this.registry, this.rotation, this.properties, this.json),
                        "/api/v1/nodes/*/connect")
                .addInterceptors(new ConnectHandshake(this.registry, this.problems));
    }

    /**
     * Tomcat allocates each connection's text buffer at its full size when the connection opens, so it is small and
     * {@link AgentSocketHandler} joins the pieces of a larger frame itself, up to its own limit (1009 beyond).
     */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(AgentSocketHandler.RECEIVE_BUFFER_CHARS);
        container.setMaxBinaryMessageBufferSize(1024);
        container.setMaxSessionIdleTimeout(IDLE_TIMEOUT.toMillis());
        return container;
    }

    /** How many outbound agents hold a connection to this coordinator. */
    @Bean
    MeterBinder outboundConnections() {
        return (registry) -> Gauge.builder("mesh.outbound.connections", this.links, AgentLinks::count)
                .description("outbound agents connected to this coordinator")
                .register(registry);
    }

    @Bean
    static EndpointReachability endpointReachability(EndpointPolicy policy) {
        return new EndpointReachability(policy, Duration.ofSeconds(2));
    }
}
