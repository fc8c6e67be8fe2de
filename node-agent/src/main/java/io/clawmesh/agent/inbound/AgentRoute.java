package io.clawmesh.agent.inbound;

import com.sun.net.httpserver.HttpHandler;

/**
 * An extra endpoint of the agent's HTTP server contributed by another feature (the actuator endpoints of
 * {@code io.clawmesh.agent.metrics}): every bean of this type is served on its exact path and method.
 *
 * @param path the exact request path, for example {@code /actuator/prometheus}
 * @param method the one method it takes; {@code GET} also answers {@code HEAD}
 * @param handler what answers it; failures are thrown and answered as problems
 */
public record AgentRoute(String path, String method, HttpHandler handler) {}
