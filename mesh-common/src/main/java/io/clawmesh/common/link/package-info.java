/** The frames of an outbound agent's WebSocket to the coordinator (SPEC §17, ADR 0010) and how bodies are cut. */
@NullMarked
package io.clawmesh.common.link;

import org.jspecify.annotations.NullMarked;
