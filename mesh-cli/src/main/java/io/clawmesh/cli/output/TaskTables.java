package io.clawmesh.cli.output;

import io.clawmesh.common.task.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The table of {@code task list} and the detail view of {@code task show}. Node names, errors and replies come from
 * nodes and are printed {@linkplain Untrusted escaped}.
 */
public final class TaskTables {

    private TaskTables() {}

    /** ID, STATUS, NODE, PRIORITY, CREATED (relative), TIME (waiting, running so far, or how long it ran). */
    public static String tasks(List<TaskView> tasks, Instant now) {
        Table table = new Table("ID", "STATUS", "NODE", "PRIORITY", "CREATED", "TIME");
        for (TaskView task : tasks) {
            table.row(
                    task.taskId(),
                    task.status().wireName(),
                    node(task),
                    String.valueOf(task.priority()),
                    Ago.of(task.createdAt(), now),
                    time(task, now));
        }
        return table.toString();
    }

    /** One task as {@code key: value} lines, the response last and with its own lines kept. */
    public static String task(TaskView task, Instant now) {
        StringBuilder text = new StringBuilder();
        field(text, "id", task.taskId());
        field(text, "status", task.status().wireName());
        field(text, "node", (task.nodeId() != null) ? node(task) + " (" + task.nodeId() + ")" : "-");
        field(text, "attempts", String.valueOf(task.attempts()));
        field(text, "priority", String.valueOf(task.priority()));
        field(text, "created", when(task.createdAt(), now));
        field(text, "started", when(task.startedAt(), now));
        field(text, "finished", when(task.finishedAt(), now));
        field(text, "time", time(task, now));
        if (task.error() != null) {
            field(text, "error", task.error());
        }
        if (task.response() != null) {
            text.append("response:\n").append(Untrusted.text(task.response()));
        }
        return text.toString();
    }

    /**
     * How long the task has waited (queued, assigned), has run so far (running) or ran (finished); {@code -} when the
     * times needed are missing.
     */
    static String time(TaskView task, Instant now) {
        if (task.status().finished()) {
            Instant from = (task.startedAt() != null) ? task.startedAt() : task.createdAt();
            return (task.finishedAt() != null) ? "ran " + Ago.duration(Duration.between(from, task.finishedAt())) : "-";
        }
        if (task.startedAt() != null) {
            return "running " + Ago.duration(Duration.between(task.startedAt(), now));
        }
        return "waiting " + Ago.duration(Duration.between(task.createdAt(), now));
    }

    private static String node(TaskView task) {
        if (task.nodeName() != null) {
            return task.nodeName();
        }
        return (task.nodeId() != null) ? task.nodeId() : "-";
    }

    private static String when(@Nullable Instant then, Instant now) {
        return (then != null) ? Ago.of(then, now) + " (" + then + ")" : "-";
    }

    private static void field(StringBuilder text, String name, String value) {
        text.append(String.format("%-10s %s%n", name + ":", Untrusted.cell(value)));
    }
}
