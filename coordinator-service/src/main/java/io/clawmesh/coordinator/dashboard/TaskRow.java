package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import io.clawmesh.coordinator.tasks.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A task as the dashboard shows it. Every text is rendered escaped by the templates; nothing here is markup.
 *
 * @param status the wire name of the status
 * @param statusClass the CSS class of its badge
 * @param created ISO-8601 instant for the page script, with {@code createdAgo} as rendered
 * @param duration how long it ran (or has been running, or waiting), such as {@code 4.2 s}
 * @param preview the start of the reply, the error, or the content while there is neither, on one line
 */
record TaskRow(
        String id,
        String status,
        String statusClass,
        boolean finished,
        @Nullable String nodeId,
        @Nullable String nodeName,
        int priority,
        int attempts,
        String source,
        @Nullable String target,
        String created,
        String createdAgo,
        @Nullable String started,
        @Nullable String finishedAt,
        String duration,
        String preview,
        String content,
        @Nullable String response,
        @Nullable String error) {

    /** Characters of the preview; the detail view has the whole text. */
    static final int PREVIEW = 80;

    static TaskRow of(Task task, Instant now) {
        return of(task.view(), task.content(), task.source(), task.target(), now);
    }

    /**
     * A task as listed: the list carries no content, source or target.
     *
     * @param content the message, {@code null} when not at hand (the preview then shows the reply or error only)
     */
    static TaskRow of(
            TaskView task, @Nullable String content, @Nullable String source, @Nullable String target, Instant now) {
        return new TaskRow(
                task.taskId(),
                task.status().wireName(),
                "status-" + task.status().wireName().replace('_', '-'),
                task.status().finished(),
                task.nodeId(),
                task.nodeName(),
                task.priority(),
                task.attempts(),
                (source != null) ? source : "",
                target,
                task.createdAt().toString(),
                RelativeTime.ago(task.createdAt(), now),
                (task.startedAt() != null) ? task.startedAt().toString() : null,
                (task.finishedAt() != null) ? task.finishedAt().toString() : null,
                duration(task, now),
                preview(task, content),
                (content != null) ? content : "",
                task.response(),
                task.error());
    }

    /** Whether the page offers to cancel it: only while it has not finished. */
    public boolean cancelable() {
        return !this.finished;
    }

    /** Run time once started (up to now while running); the wait so far while queued or assigned. */
    static String duration(TaskView task, Instant now) {
        Instant from = (task.startedAt() != null) ? task.startedAt() : task.createdAt();
        Instant to = (task.finishedAt() != null) ? task.finishedAt() : now;
        String text = format(Duration.between(from, to));
        if (task.startedAt() == null && !task.status().finished()) {
            return "waiting " + text;
        }
        if (task.startedAt() == null) {
            return "never ran";
        }
        return text;
    }

    static String format(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return (seconds / 60) + " min " + (seconds % 60) + " s";
        }
        return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    }

    static String preview(TaskView task, @Nullable String content) {
        String text;
        if (task.status() == TaskStatus.SUCCEEDED && task.response() != null) {
            text = task.response();
        } else if (task.status().finished() && task.error() != null) {
            text = task.error();
        } else {
            text = (content != null) ? content : "";
        }
        String line = text.strip().replaceAll("\\s+", " ");
        if (line.length() <= PREVIEW) {
            return line;
        }
        int end = PREVIEW - 1;
        // never split a surrogate pair: half an emoji renders as a replacement character
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end) + "…";
    }
}
