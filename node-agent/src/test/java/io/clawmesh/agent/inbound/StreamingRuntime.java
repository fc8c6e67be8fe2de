package io.clawmesh.agent.inbound;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.DeltaListener;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.node.RuntimeInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow streaming runtime for tests: each run (by message or task id) produces exactly the pieces the test scripts
 * for it, when the test scripts them, and ends when told to, fails, or is aborted through its {@code RunAbort}.
 */
final class StreamingRuntime implements AgentRuntime {

    private static final String FINISH = "\u0000finish";

    private static final String ABORTED = "\u0000aborted";

    private final Map<String, BlockingQueue<String>> steps = new ConcurrentHashMap<>();

    final List<RuntimeRequest> requests = new CopyOnWriteArrayList<>();

    /** The reasons the runs were aborted with, in order. */
    final List<String> aborts = new CopyOnWriteArrayList<>();

    final AtomicInteger running = new AtomicInteger();

    volatile boolean connected = true;

    /** The run {@code id} produces {@code text} next. */
    StreamingRuntime delta(String id, String text) {
        queue(id).add(text);
        return this;
    }

    /** The run {@code id} ends with the text produced so far as its reply. */
    StreamingRuntime finish(String id) {
        queue(id).add(FINISH);
        return this;
    }

    /** The run {@code id} fails. */
    StreamingRuntime fail(String id, String why) {
        queue(id).add("\u0000fail" + why);
        return this;
    }

    @Override
    public RuntimeInfo info() {
        return new RuntimeInfo("fake", null, this.connected);
    }

    @Override
    public String send(RuntimeRequest request) {
        return stream(request, (text) -> {});
    }

    @Override
    public String stream(RuntimeRequest request, DeltaListener deltas) {
        this.requests.add(request);
        this.running.incrementAndGet();
        BlockingQueue<String> queue = queue(request.messageId());
        request.abort().onAbort(() -> {
            this.aborts.add(String.valueOf(request.abort().reason()));
            queue.add(ABORTED);
        });
        StringBuilder reply = new StringBuilder();
        try {
            while (true) {
                // the bound only keeps a broken test from hanging the build
                String step = queue.poll(30, TimeUnit.SECONDS);
                if (step == null || step.equals(ABORTED)) {
                    throw new RuntimeFailureException(
                            "fake", "run stopped: " + request.abort().reason());
                }
                if (step.equals(FINISH)) {
                    return reply.toString();
                }
                if (step.startsWith("\u0000fail")) {
                    throw new RuntimeFailureException("fake", step.substring(5));
                }
                reply.append(step);
                deltas.delta(step);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("fake", "interrupted");
        } finally {
            this.running.decrementAndGet();
        }
    }

    private BlockingQueue<String> queue(String id) {
        return this.steps.computeIfAbsent(id, (key) -> new LinkedBlockingQueue<>());
    }
}
