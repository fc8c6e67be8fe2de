package io.clawmesh.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.web.JsonResponses;
import io.clawmesh.common.node.RuntimeInfo;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;

/**
 * The agent's health groups in the shape of Spring Boot's actuator: {@code liveness} (the application is not broken),
 * {@code readiness} (it accepts traffic and its runtime is connected) and the whole, answering 200 when UP and 503
 * otherwise, so the same probes work for coordinator and agent.
 */
final class AgentHealthHandler implements HttpHandler {

    /** Which health a path answers. */
    enum Group {
        ALL,
        LIVENESS,
        READINESS
    }

    private final Group group;

    private final ApplicationAvailability availability;

    private final AgentRuntime runtime;

    private final JsonResponses responses;

    AgentHealthHandler(
            Group group, ApplicationAvailability availability, AgentRuntime runtime, JsonResponses responses) {
        this.group = group;
        this.availability = availability;
        this.runtime = runtime;
        this.responses = responses;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, Object> components = new LinkedHashMap<>();
        if (this.group != Group.READINESS) {
            boolean live = this.availability.getLivenessState() == LivenessState.CORRECT;
            components.put("livenessState", Map.of("status", live ? "UP" : "DOWN"));
        }
        if (this.group != Group.LIVENESS) {
            boolean accepting = this.availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
            components.put("readinessState", Map.of("status", accepting ? "UP" : "OUT_OF_SERVICE"));
            RuntimeInfo info = this.runtime.info();
            Map<String, Object> runtimeHealth = new LinkedHashMap<>();
            runtimeHealth.put("status", info.connected() ? "UP" : "DOWN");
            runtimeHealth.put("details", Map.of("kind", info.kind(), "connected", info.connected()));
            components.put("runtime", runtimeHealth);
        }
        String status = overall(components);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("components", components);
        if (this.group == Group.ALL) {
            body.put("groups", List.of("liveness", "readiness"));
        }
        this.responses.send(exchange, "UP".equals(status) ? 200 : 503, body);
    }

    /** DOWN wins over OUT_OF_SERVICE, which wins over UP, as in Spring Boot's default status aggregation. */
    private static String overall(Map<String, Object> components) {
        String status = "UP";
        for (Object component : components.values()) {
            Object value = ((Map<?, ?>) component).get("status");
            if ("DOWN".equals(value)) {
                return "DOWN";
            }
            if ("OUT_OF_SERVICE".equals(value)) {
                status = "OUT_OF_SERVICE";
            }
        }
        return status;
    }
}
