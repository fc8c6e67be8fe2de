/** The AI runtimes the agent hands messages to, one class per runtime behind {@link io.clawmesh.agent.runtime.AgentRuntime}. */
@NullMarked
package io.clawmesh.agent.runtime;

import org.jspecify.annotations.NullMarked;
