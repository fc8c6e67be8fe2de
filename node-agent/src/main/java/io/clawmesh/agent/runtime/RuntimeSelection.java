package io.clawmesh.agent.runtime;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The runtime the agent chose at start, plus whatever the agent started for it (an auto-installed gateway process):
 * closing the selection closes the runtime and stops those.
 */
public final class RuntimeSelection implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(RuntimeSelection.class);

    private final AgentRuntime runtime;

    private final List<AutoCloseable> owned;

    public RuntimeSelection(AgentRuntime runtime, List<AutoCloseable> owned) {
        this.runtime = runtime;
        this.owned = List.copyOf(owned);
    }

    public AgentRuntime runtime() {
        return this.runtime;
    }

    @Override
    public void destroy() {
        List<AutoCloseable> all = new ArrayList<>();
        if (this.runtime instanceof AutoCloseable closeable) {
            all.add(closeable);
        }
        all.addAll(this.owned);
        for (AutoCloseable closeable : all) {
            try {
                closeable.close();
            } catch (Exception ex) {
                logger.warn("Stopping {} failed: {}", closeable, ex.getMessage());
            }
        }
    }
}
