/** The agent's Prometheus meters and its actuator endpoints (prometheus, health groups, info) on the JDK HTTP server. */
@NullMarked
package io.clawmesh.agent.metrics;

import org.jspecify.annotations.NullMarked;
