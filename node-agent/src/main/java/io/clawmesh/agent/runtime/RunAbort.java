package io.clawmesh.agent.runtime;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The way to stop one run on its runtime: a cancel from the coordinator or the run's own timeout calls {@link
 * #abort(String)}, and the runtime adapter that holds the run registers what stopping means for it with {@link
 * #onAbort(Runnable)} (OpenClaw sends {@code chat.abort}, ZeroClaw closes its run's WebSocket, an OpenAI-compatible
 * runtime closes the response stream). An action registered after the abort runs at once. Thread-safe.
 */
public final class RunAbort {

    private final List<Runnable> actions = new ArrayList<>();

    private @Nullable String reason;

    /** Asks the run to stop; the first reason wins, later calls do nothing. */
    public void abort(String why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (this.reason != null) {
                return;
            }
            this.reason = why;
            toRun = List.copyOf(this.actions);
            this.actions.clear();
        }
        toRun.forEach(RunAbort::runQuietly);
    }

    /** Registers what stopping the run means; runs it at once when the run was already aborted. */
    public void onAbort(Runnable action) {
        synchronized (this) {
            if (this.reason == null) {
                this.actions.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    public synchronized boolean aborted() {
        return this.reason != null;
    }

    /** Why the run was aborted, {@code null} while it was not. */
    public synchronized @Nullable String reason() {
        return this.reason;
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException ex) {
            // stopping is best effort: the run's own thread sees the abort and ends the task either way
        }
    }
}
