package io.clawmesh.coordinator.fastpath;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The fast paths ({@code mesh.routing.fast-path.*}), see ADR 0006, ADR 0015 and ADR 0017.
 *
 * @param enabled whether {@code RouteRequestFilter} serves operator route requests, and the front door's
 *     {@code ChatCompletionFilter} plain chat completions, and {@code TaskRequestFilter} operator task submissions and
 *     event streams (ADR 0017), ahead of the security chain and Spring MVC; off, every such
 *     request takes the general path, with the same answers at a higher CPU cost
 */
@ConfigurationProperties("mesh.routing.fast-path")
public record FastPathProperties(@DefaultValue("true") boolean enabled) {

    /** The switch, as a property name for conditions. */
    public static final String ENABLED = "mesh.routing.fast-path.enabled";
}
