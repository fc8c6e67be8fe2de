package io.clawmesh.agent.runtime.openclaw;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** One {@code agent} run inside {@link FakeOpenClawGateway}: keyed by its idempotency key, which is its run id. */
final class FakeRun {

    enum Status {
        RUNNING,
        OK,
        ABORTED
    }

    final String runId;

    final String message;

    final String sessionKey;

    final CompletableFuture<Void> done = new CompletableFuture<>();

    final CompletableFuture<Void> released = new CompletableFuture<>();

    volatile Status status = Status.RUNNING;

    volatile @Nullable String reply;

    /** The cumulative assistant text sent so far. */
    volatile String streamed = "";

    FakeRun(String runId, String message, String sessionKey) {
        this.runId = runId;
        this.message = message;
        this.sessionKey = sessionKey;
    }

    void release() {
        this.released.complete(null);
    }
}
