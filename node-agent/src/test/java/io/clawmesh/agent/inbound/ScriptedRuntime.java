package io.clawmesh.agent.inbound;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.EchoRuntime;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.node.RuntimeInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A runtime for HTTP tests: echoes, or blocks until released, or fails, as the test says. */
final class ScriptedRuntime implements AgentRuntime {

    enum Mode {
        ECHO,
        BLOCK,
        FAIL
    }

    private final EchoRuntime echo = new EchoRuntime();

    final List<RuntimeRequest> requests = new CopyOnWriteArrayList<>();

    volatile Mode mode = Mode.ECHO;

    volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public RuntimeInfo info() {
        return RuntimeInfo.echo();
    }

    @Override
    public String send(RuntimeRequest request) {
        this.requests.add(request);
        return switch (this.mode) {
            case ECHO -> this.echo.send(request);
            case FAIL -> throw new RuntimeFailureException("openclaw", "connection refused by 127.0.0.1:18789");
            case BLOCK -> {
                CountDownLatch latch = this.release;
                try {
                    // released by the test; the bound only keeps a broken test from hanging the build
                    latch.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                yield this.echo.send(request);
            }
        };
    }
}
