package io.clawmesh.agent.inbound;

import io.clawmesh.agent.runtime.RunAbort;
import io.clawmesh.common.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One task on this agent: {@code running} from the moment it is accepted, then exactly one final status, which never
 * changes again. It holds the reply's text so far, which only grows, and wakes the event streams that wait for more.
 * Thread-safe.
 */
public final class AgentTask {

    private final String id;

    private final Instant deadline;

    private final Duration timeout;

    private final RunAbort abort = new RunAbort();

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition changed = this.lock.newCondition();

    private final StringBuilder text = new StringBuilder();

    private TaskStatus status = TaskStatus.RUNNING;

    private @Nullable String response;

    private @Nullable String error;

    private @Nullable Instant finishedAt;

    AgentTask(String id, Instant deadline, Duration timeout) {
        this.id = id;
        this.deadline = deadline;
        this.timeout = timeout;
    }

    public String id() {
        return this.id;
    }

    /** When the task's own timeout passes and the run is aborted. */
    public Instant deadline() {
        return this.deadline;
    }

    Duration timeout() {
        return this.timeout;
    }

    /** Stops the run on the runtime; fired by a cancel, the timeout or the agent's shutdown. */
    RunAbort abort() {
        return this.abort;
    }

    /** The task as it is now, with its whole text. */
    public Progress progress() {
        return progressFrom(0);
    }

    /** The task as it is now, with the text after {@code offset} only. */
    public Progress progressFrom(int offset) {
        this.lock.lock();
        try {
            return new Progress(
                    this.status,
                    this.text.length(),
                    this.text.substring(Math.min(offset, this.text.length())),
                    this.response,
                    this.error);
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Waits until there is text beyond {@code offset} or the task has ended, at most {@code max}, and answers the task
     * as it is then (the text after {@code offset} only; empty when {@code max} passed with nothing new).
     */
    public Progress awaitBeyond(int offset, Duration max) throws InterruptedException {
        long nanos = max.toNanos();
        this.lock.lock();
        try {
            while (this.text.length() <= offset && !this.status.finished() && nanos > 0) {
                nanos = this.changed.awaitNanos(nanos);
            }
            return progressFrom(offset);
        } finally {
            this.lock.unlock();
        }
    }

    /** Adds a piece of the reply; ignored once the task has ended (a canceled run may still be talking). */
    void append(String delta) {
        this.lock.lock();
        try {
            if (!this.status.finished()) {
                this.text.append(delta);
                this.changed.signalAll();
            }
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Ends the task as succeeded with the runtime's whole reply. Text the runtime did not stream (one that answers in
     * one piece) is added first, so the text always ends up equal to the reply when the runtime kept its contract.
     *
     * @return whether this call ended it (not when a cancel or timeout already had)
     */
    boolean succeed(String reply, Instant at) {
        this.lock.lock();
        try {
            if (this.status.finished()) {
                return false;
            }
            if (reply.length() > this.text.length() && reply.startsWith(this.text.toString())) {
                this.text.append(reply, this.text.length(), reply.length());
            }
            return end(TaskStatus.SUCCEEDED, reply, null, at);
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Ends the task as failed, canceled or timed out.
     *
     * @return whether this call ended it (not when it had already ended)
     */
    boolean end(TaskStatus finalStatus, String why, Instant at) {
        this.lock.lock();
        try {
            return !this.status.finished() && end(finalStatus, null, why, at);
        } finally {
            this.lock.unlock();
        }
    }

    private boolean end(TaskStatus finalStatus, @Nullable String reply, @Nullable String why, Instant at) {
        this.status = finalStatus;
        this.response = reply;
        this.error = why;
        this.finishedAt = at;
        this.changed.signalAll();
        return true;
    }

    /** When the task ended, {@code null} while it runs. */
    @Nullable
    Instant finishedAt() {
        this.lock.lock();
        try {
            return this.finishedAt;
        } finally {
            this.lock.unlock();
        }
    }

    /** Waits up to {@code max} for the task to end; {@code true} when it has. For shutdown and tests. */
    boolean awaitEnd(Duration max) throws InterruptedException {
        long nanos = max.toNanos();
        this.lock.lock();
        try {
            while (!this.status.finished() && nanos > 0) {
                nanos = this.changed.awaitNanos(nanos);
            }
            return this.status.finished();
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * A task at one moment.
     *
     * @param length the length of the whole text so far, in UTF-16 chars: the id of the delta that ends here
     * @param text the text asked for (all of it, or what follows an offset)
     * @param response the whole reply once {@code succeeded}
     * @param error why it failed, was canceled or timed out
     */
    public record Progress(
            TaskStatus status,
            int length,
            String text,
            @Nullable String response,
            @Nullable String error) {}
}
