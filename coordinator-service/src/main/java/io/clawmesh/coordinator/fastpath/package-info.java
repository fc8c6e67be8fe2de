/**
 * The routing fast path: a servlet filter that serves operator route requests ahead of the security chain and Spring
 * MVC, answering exactly as they would (ADR 0006); switched by {@code mesh.routing.fast-path.enabled}, which also
 * switches the front door's (ADR 0015). {@link io.clawmesh.coordinator.fastpath.FastPathRequests} holds the checks both
 * make before taking a request.
 */
@NullMarked
package io.clawmesh.coordinator.fastpath;

import org.jspecify.annotations.NullMarked;
