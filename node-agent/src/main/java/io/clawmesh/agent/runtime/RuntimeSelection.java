package io.clawmesh.agent.runtime;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The runtime the agent chose at start, plus whatever the agent started for it (an auto-installed gateway process):
 * closing the selection closes the runtime and stops those. A runtime with a lifecycle of its own (the OpenClaw
 * connection) is started and stopped through the selection, because the runtime bean itself may be wrapped (metrics)
 * in a way that hides its lifecycle from the container.
 */
public final class RuntimeSelection implements SmartLifecycle, DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(RuntimeSelection.class);

    private final AgentRuntime runtime;

    private final List<AutoCloseable> owned;

    private volatile boolean running;

    public RuntimeSelection(AgentRuntime runtime, List<AutoCloseable> owned) {
        this.runtime = runtime;
        this.owned = List.copyOf(owned);
    }

    public AgentRuntime runtime() {
        return this.runtime;
    }

    @Override
    public void start() {
        if (this.runtime instanceof Lifecycle lifecycle && !lifecycle.isRunning()) {
            lifecycle.start();
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        if (this.runtime instanceof Lifecycle lifecycle && lifecycle.isRunning()) {
            lifecycle.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return (this.runtime instanceof SmartLifecycle lifecycle) ? lifecycle.getPhase() : DEFAULT_PHASE;
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
