package io.clawmesh.agent.inbound;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.registration.RegistrationConfiguration;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.agent.tls.NodeCertificates;
import io.clawmesh.agent.tls.NodeTlsConfiguration;
import io.clawmesh.agent.web.JsonBodyReader;
import io.clawmesh.agent.web.JsonResponses;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.json.LeanJsonModule;
import io.clawmesh.common.json.StrictJson;
import io.clawmesh.common.node.ConnectMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the inbound API: the message dispatcher in front of the runtime and the HTTP server on {@code server.address}
 * (default: all interfaces) and {@code server.port} (default 9121, {@code 0} for a random one).
 */
@Configuration(proxyBeanMethods = false)
public class InboundConfiguration {

    /** The agent's default port, as in the Go version. */
    public static final int DEFAULT_PORT = 9121;

    /** How long a request may take to arrive, headers and body, unless {@code mesh.agent.request-read-timeout} says. */
    static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(30);

    /** The JDK HTTP server's own setting behind {@code mesh.agent.request-read-timeout}, in seconds. */
    static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";

    @Bean
    MessageDispatcher messageDispatcher(
            AgentRuntime runtime, CapacityGate gate, Clock clock, AgentProperties properties) {
        return new MessageDispatcher(runtime, gate, clock, properties.gatewayTimeout());
    }

    /** How many tasks the agent keeps at most, running and ended; the oldest ended ones are forgotten first. */
    static final int MAX_RETAINED_TASKS = 10_000;

    /** How often timeouts and the retention window of tasks are checked. */
    static final Duration TASK_SWEEP_INTERVAL = Duration.ofSeconds(1);

    /** How long an event stream may stay silent before a comment line checks that its client is still there. */
    static final Duration EVENT_STREAM_KEEP_ALIVE = Duration.ofSeconds(15);

    @Bean
    AgentTasks agentTasks(AgentRuntime runtime, CapacityGate gate, Clock clock, AgentProperties properties) {
        ThreadFactory threads = Thread.ofVirtual().name("mesh-task-", 0).factory();
        return new AgentTasks(
                runtime,
                gate,
                clock,
                properties.taskRetention(),
                MAX_RETAINED_TASKS,
                properties.gatewayTimeout(),
                (run) -> threads.newThread(run).start());
    }

    @Bean
    AgentTaskSweeper agentTaskSweeper(AgentTasks tasks) {
        return new AgentTaskSweeper(tasks, TASK_SWEEP_INTERVAL);
    }

    @Bean
    AgentHttpServer agentHttpServer(
            Environment environment,
            AgentProperties properties,
            MessageDispatcher dispatcher,
            AgentTasks tasks,
            RegistrationState state,
            AgentRuntime runtime,
            CapacityGate gate,
            LocalNode localNode,
            ObjectProvider<AgentRoute> extraRoutes,
            ObjectProvider<NodeCertificates> nodeCertificates) {
        // The JDK server otherwise waits forever for a request that never finishes arriving, so a client that sends
        // half a header holds a connection and a thread for good. Read once per JVM, when the first server starts; a
        // -Dsun.net.httpserver.maxReqTime on the command line wins.
        Duration readTimeout = environment.getProperty(
                "mesh.agent.request-read-timeout", Duration.class, DEFAULT_REQUEST_READ_TIMEOUT);
        if (System.getProperty(MAX_REQUEST_TIME) == null) {
            System.setProperty(MAX_REQUEST_TIME, String.valueOf(Math.max(1, readTimeout.toSeconds())));
        }
        AgentHttpServer server = server(
                environment.getProperty("server.address"),
                environment.getProperty("server.port", Integer.class, DEFAULT_PORT),
                properties.shutdownGrace(),
                dispatcher,
                tasks,
                state,
                runtime,
                gate,
                localNode,
                extraRoutes.orderedStream().toList());
        if (RegistrationConfiguration.connectPreference(environment) == ConnectMode.OUTBOUND) {
            server.withoutListener();
        }
        // mutual TLS (ADR 0012): HTTPS with the node certificate, the coordinator's client certificate required
        if (NodeTlsConfiguration.enabled(environment)) {
            server.useTls(nodeCertificates.getObject().serverContext());
        }
        return server;
    }

    /**
     * The server with its endpoints (messages, tasks, health) and the endpoints other features contribute
     * (actuator); also used by the tests, so they run exactly this wiring.
     */
    static AgentHttpServer server(
            @Nullable String address,
            int port,
            Duration shutdownGrace,
            MessageDispatcher dispatcher,
            AgentTasks tasks,
            RegistrationState state,
            AgentRuntime runtime,
            CapacityGate gate,
            LocalNode localNode,
            List<AgentRoute> extraRoutes) {
        // the wire contract is strict: an unknown field or a wrong scalar type is a 400 naming it
        JsonMapper json = StrictJson.configure(JsonMapper.builder())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new LeanJsonModule())
                .build();
        JsonResponses responses = new JsonResponses(json);
        List<AgentHttpServer.Route> routes = new ArrayList<>();
        MessageHandler messages = new MessageHandler(state, dispatcher, new JsonBodyReader(json), responses, json);
        routes.add(new AgentHttpServer.Route(ApiPaths.AGENT_MESSAGES, "POST", messages));
        routes.add(new AgentHttpServer.Route(ApiPaths.AGENT_MESSAGE, "DELETE", messages::cancel));
        routes.add(new AgentHttpServer.Route(
                ApiPaths.AGENT_HEALTH, "GET", new HealthHandler(runtime, gate, state, localNode, responses)));
        TaskEndpoints taskEndpoints =
                new TaskEndpoints(state, localNode, tasks, json, responses, EVENT_STREAM_KEEP_ALIVE);
        routes.add(new AgentHttpServer.Route(ApiPaths.TASKS, "POST", taskEndpoints::submit));
        routes.add(new AgentHttpServer.Route(ApiPaths.TASK, "GET", taskEndpoints::show));
        routes.add(new AgentHttpServer.Route(ApiPaths.TASK, "DELETE", taskEndpoints::cancel));
        routes.add(new AgentHttpServer.Route(ApiPaths.TASK_EVENTS, "GET", taskEndpoints::events));
        // after the agent's own: the first route that matches path and method answers
        for (AgentRoute extra : extraRoutes) {
            routes.add(new AgentHttpServer.Route(extra.path(), extra.method(), extra.handler()));
        }
        return new AgentHttpServer(address, port, shutdownGrace, routes, responses);
    }
}
