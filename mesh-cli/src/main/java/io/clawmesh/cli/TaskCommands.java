package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.client.TaskClient;
import io.clawmesh.cli.client.TaskClient.TaskQuery;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.output.TaskTables;
import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.cli.support.Interrupts;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.task.TaskPage;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** The task verbs (SPEC §16): {@code task list}, {@code task show}, {@code task watch} and {@code task cancel}. */
@Component
public class TaskCommands {

    /** Pages {@code task list --all} reads at most, against a coordinator whose cursors never end. */
    static final int MAX_PAGES = 1000;

    private final MeshClients clients;

    private final Interrupts interrupts;

    private final Clock clock;

    public TaskCommands(MeshClients clients, Interrupts interrupts, Clock clock) {
        this.clients = clients;
        this.interrupts = interrupts;
        this.clock = clock;
    }

    @Command(
            name = {"task", "list"},
            group = "Tasks",
            description = "List tasks, newest first: id, status, node, priority, age and run time",
            completionProvider = MeshCompletions.NODES)
    public void list(
            CommandContext context,
            @Option(longName = "status", description = "only tasks in this status (queued, running, failed, ...)")
                    @Nullable
                    String status,
            @Option(longName = "node", description = "only tasks of this node, by name or id") @Nullable String node,
            @Option(longName = "limit", description = "tasks per page (the coordinator caps it)") @Nullable
                    Integer limit,
            @Option(longName = "all", description = "follow the pages to the last one") @Nullable Boolean all,
            @Option(longName = "cursor", description = "start at this page (from the line after a table)") @Nullable
                    String cursor) {
        if (status != null) {
            try {
                TaskStatus.fromWire(status);
            } catch (IllegalArgumentException ex) {
                throw new UsageException("task list", "--status: " + ex.getMessage());
            }
        }
        if (limit != null && limit < 1) {
            throw new UsageException("task list", "--limit must be 1 or more, not " + limit);
        }
        boolean allPages = Boolean.TRUE.equals(all);
        if (allPages && cursor != null) {
            throw new UsageException("task list", "--all and --cursor exclude each other: --all starts at the newest");
        }
        TaskClient tasks = this.clients.tasks(context);
        TaskQuery query = new TaskQuery(status, node, limit, cursor);
        TaskPage page = allPages ? allPages(tasks, query) : tasks.list(query);
        Output.print(context.outputWriter(), tasks.settings().json(), page, () -> table(page, status, node));
    }

    @Command(
            name = {"task", "show"},
            group = "Tasks",
            description = "Show one task: status, node, attempts, times, error and response",
            help = "<task-id>",
            completionProvider = MeshCompletions.TASKS)
    public void show(CommandContext context, @Argument(index = 0) String id) {
        TaskOptions.taskId("task show", id);
        TaskClient tasks = this.clients.tasks(context);
        TaskView task = tasks.get(id);
        Output.print(
                context.outputWriter(),
                tasks.settings().json(),
                task,
                () -> TaskTables.task(task, this.clock.instant()));
    }

    @Command(
            name = {"task", "watch"},
            group = "Tasks",
            description = "Follow a task: its status changes and its reply as it is written, until it ends"
                    + " (exit 0 when it succeeded, 1 otherwise)",
            help = "<task-id>",
            completionProvider = MeshCompletions.TASKS)
    public void watch(CommandContext context, @Argument(index = 0) String id) throws InterruptedException {
        TaskOptions.taskId("task watch", id);
        TaskWatcher watcher = new TaskWatcher(this.clients.tasks(context), id, context.outputWriter());
        try (AutoCloseable handle = this.interrupts.onInterrupt(watcher::stop)) {
            if (watcher.watch() == null) {
                System.err.println("claw-mesh: stopped watching; task " + id + " goes on (claw-mesh task cancel " + id
                        + " stops it)");
            }
        } catch (InterruptedException | RuntimeException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Command(
            name = {"task", "cancel"},
            group = "Tasks",
            description = "Cancel a task: a queued one at once, a running one is aborted on its node",
            help = "<task-id>",
            completionProvider = MeshCompletions.TASKS)
    public void cancel(CommandContext context, @Argument(index = 0) String id) {
        TaskOptions.taskId("task cancel", id);
        TaskClient tasks = this.clients.tasks(context);
        TaskView task = tasks.cancel(id);
        boolean done = task != null && task.status() == TaskStatus.CANCELED;
        Map<String, Object> requested = new LinkedHashMap<>();
        requested.put("task_id", id);
        requested.put("status", (task != null) ? task.status().wireName() : "cancel_requested");
        Output.print(
                context.outputWriter(),
                tasks.settings().json(),
                (task != null) ? task : requested,
                () -> done
                        ? "canceled task " + id
                        : "cancel requested for task " + id + ": its node aborts the run and it ends canceled"
                                + " (claw-mesh task watch " + id + " follows it)");
    }

    private static TaskPage allPages(TaskClient tasks, TaskQuery first) {
        List<TaskView> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        TaskQuery query = first;
        for (int page = 0; page < MAX_PAGES; page++) {
            TaskPage answer = tasks.list(query);
            all.addAll(answer.tasks());
            String next = answer.nextCursor();
            if (next == null || !seen.add(next)) {
                return new TaskPage(all, null);
            }
            query = query.withCursor(next);
        }
        throw new CliException(
                ExitCode.REFUSED,
                "the coordinator returned more than " + MAX_PAGES + " pages; use --limit and --cursor");
    }

    private String table(TaskPage page, @Nullable String status, @Nullable String node) {
        if (page.tasks().isEmpty()) {
            return "no tasks" + ((status != null) ? " with status " + status : "")
                    + ((node != null) ? " on node " + Untrusted.cell(node) : "")
                    + " (send one with claw-mesh send --async \"msg\")";
        }
        String text = TaskTables.tasks(page.tasks(), this.clock.instant());
        return (page.nextCursor() != null)
                ? text + "more: claw-mesh task list --cursor " + Untrusted.cell(page.nextCursor()) + " (or --all)"
                : text;
    }
}
