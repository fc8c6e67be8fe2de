/** The agent's inbound HTTP API: messages from the coordinator and the open health endpoint. */
@NullMarked
package io.clawmesh.agent.inbound;

import org.jspecify.annotations.NullMarked;
