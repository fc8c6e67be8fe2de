package io.clawmesh.cli;

import io.clawmesh.cli.client.EventStream;
import io.clawmesh.cli.client.ServerSentEvent;
import io.clawmesh.cli.client.TaskClient;
import io.clawmesh.cli.output.ReplyPrinter;
import io.clawmesh.cli.output.TaskEvents;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.task.TaskStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Follows one task's event stream ({@code GET /api/v1/tasks/{id}/events}) for {@code task watch}: status lines for
 * {@code queued}, {@code assigned} and {@code started}, the reply as it arrives, until the final event. A dropped
 * connection is resumed with {@code Last-Event-ID} (the server's {@code retry:} delay, else 1 s doubling to 10 s), at
 * most {@link #MAX_TRIES} times in a row without an event in between. One watcher watches one task once.
 */
final class TaskWatcher {

    /** Reconnections in a row, without an event received in between, before giving up. */
    static final int MAX_TRIES = 5;

    private static final Duration MAX_DELAY = Duration.ofSeconds(10);

    private final TaskClient tasks;

    private final String id;

    private final PrintWriter out;

    private final boolean json;

    private final ReplyPrinter reply;

    private final CountDownLatch stop = new CountDownLatch(1);

    private volatile @Nullable EventStream current;

    private @Nullable String lastEventId;

    TaskWatcher(TaskClient tasks, String id, PrintWriter out) {
        this.tasks = tasks;
        this.id = id;
        this.out = out;
        this.json = tasks.settings().json();
        this.reply = new ReplyPrinter(out);
    }

    /** Stops watching (Ctrl-C): the open stream is closed and no reconnection follows; the task itself goes on. */
    void stop() {
        this.stop.countDown();
        EventStream stream = this.current;
        if (stream != null) {
            stream.close();
        }
    }

    /**
     * Watches until the task ends or {@link #stop()} is called.
     *
     * @return the final status, or {@code null} when stopped first
     * @throws CliException when the stream cannot be had back, or the task is unknown
     */
    @Nullable
    TaskStatus watch() throws InterruptedException {
        int failures = 0;
        Duration backoff = Duration.ofSeconds(1);
        while (!stopped()) {
            EventStream stream;
            try {
                stream = this.tasks.events(this.id, this.lastEventId);
            } catch (CliException ex) {
                if (this.lastEventId == null || ex.exitCode() != ExitCode.UNREACHABLE || ++failures > MAX_TRIES) {
                    throw ex;
                }
                backoff = pause(null, backoff);
                continue;
            }
            this.current = stream;
            try (stream) {
                for (ServerSentEvent event = stream.next(); event != null; event = stream.next()) {
                    failures = 0;
                    backoff = Duration.ofSeconds(1);
                    TaskStatus end = handle(event);
                    if (end != null) {
                        return end;
                    }
                }
            } catch (EventStream.StreamBrokenException ex) {
                // resumed below, like a stream that ended without a final event
            } finally {
                this.current = null;
            }
            if (stopped() || ++failures > MAX_TRIES) {
                break;
            }
            backoff = pause(stream.retry(), backoff);
        }
        this.reply.endLine();
        if (stopped()) {
            return null;
        }
        throw new CliException(
                ExitCode.REFUSED,
                "lost the event stream of task " + this.id + " after " + MAX_TRIES + " tries; the task goes on"
                        + " (claw-mesh task show " + this.id + ")");
    }

    private @Nullable TaskStatus handle(ServerSentEvent event) {
        if (event.id() != null && !event.id().isEmpty()) {
            this.lastEventId = event.id();
        }
        JsonNode data = TaskEvents.data(event.data());
        if (this.json) {
            this.out.println(TaskEvents.jsonLine(event.event(), event.id(), event.data(), data));
            this.out.flush();
        }
        String status = TaskEvents.statusLine(event.event(), data);
        if (status != null) {
            if (!this.json) {
                this.reply.line(status);
            }
            return null;
        }
        return switch (event.event()) {
            case TaskEventTypes.DELTA -> {
                if (!this.json) {
                    this.reply.delta(TaskEvents.text(data, "text"), offset(event.id()));
                }
                yield null;
            }
            case TaskEventTypes.SUCCEEDED -> {
                if (!this.json) {
                    this.reply.complete(TaskEvents.textOrNull(data, "response"));
                }
                this.reply.endLine();
                yield TaskStatus.SUCCEEDED;
            }
            case TaskEventTypes.FAILED, TaskEventTypes.CANCELED, TaskEventTypes.TIMED_OUT -> {
                this.reply.endLine();
                String error = TaskEvents.textOrNull(data, "error");
                throw new CliException(
                        ExitCode.REFUSED,
                        "task " + this.id + " " + event.event().replace('_', ' ')
                                + ((error != null) ? ": " + io.clawmesh.cli.output.Untrusted.cell(error) : ""));
            }
            default -> null;
        };
    }

    /** The reply's length after a delta, from its id {@code d<offset>}. */
    static @Nullable Long offset(@Nullable String eventId) {
        if (eventId != null && eventId.matches("d\\d{1,18}")) {
            return Long.valueOf(eventId.substring(1));
        }
        return null;
    }

    private boolean stopped() {
        return this.stop.getCount() == 0;
    }

    /** Waits before reconnecting (Ctrl-C cuts it short) and returns the next backoff. */
    private Duration pause(@Nullable Duration retry, Duration backoff) throws InterruptedException {
        Duration delay = (retry != null) ? retry : backoff;
        System.err.println(
                "claw-mesh: the event stream of task " + this.id + " dropped; resuming in " + delay.toMillis() + "ms");
        this.stop.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        Duration next = backoff.multipliedBy(2);
        return (next.compareTo(MAX_DELAY) > 0) ? MAX_DELAY : next;
    }
}
