package io.clawmesh.agent.runtime;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a capacity the heap cannot carry into Boot's short "APPLICATION FAILED TO START" report with the fix. */
public class HeapBudgetFailureAnalyzer extends AbstractFailureAnalyzer<HeapTooSmallException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HeapTooSmallException cause) {
        return new FailureAnalysis(
                cause.getMessage() + ".",
                "Start the agent with -Xmx" + cause.requiredMib() + "m or more (claw-mesh join sizes the heap from"
                        + " --capacity unless CLAW_MESH_AGENT_JVM_OPTS sets the flags), or lower mesh.agent.capacity to"
                        + " what " + cause.availableMib() + " MiB carries (docs/operations.md, agent memory).",
                cause);
    }
}
