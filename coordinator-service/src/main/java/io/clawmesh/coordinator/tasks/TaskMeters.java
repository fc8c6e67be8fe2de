package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.events.TaskFinished;
import io.clawmesh.coordinator.events.TaskStarted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Task metrics: tasks by status in the database ({@code mesh_tasks}, counted at most once a second however often it
 * is scraped), the queue depth of this coordinator ({@code mesh_tasks_queue_depth}), how long tasks waited before
 * they started ({@code mesh_task_queue_wait_seconds}) and how long they ran, by final status
 * ({@code mesh_task_run_duration_seconds}), and finished tasks by status ({@code mesh_tasks_finished_total}).
 */
@Component
public class TaskMeters {

    static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(25),
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofMinutes(30),
        Duration.ofHours(1)
    };

    private final TaskRepository repository;

    private final Timer queueWait;

    private final MeterProvider<Timer> runDuration;

    private final MeterProvider<Counter> finished;

    private final AtomicReference<Map<TaskStatus, Long>> counts = new AtomicReference<>(Map.of());

    private final AtomicLong countedAt = new AtomicLong(Long.MIN_VALUE);

    public TaskMeters(MeterRegistry registry, TaskRepository repository, TaskQueue queue) {
        this.repository = repository;
        for (TaskStatus status : TaskStatus.values()) {
            Gauge.builder("mesh.tasks", this, (meters) -> meters.count(status))
                    .description("Tasks in the database, by status")
                    .tag("status", status.wireName())
                    .register(registry);
        }
        Gauge.builder("mesh.tasks.queue.depth", queue, TaskQueue::size)
                .description("Tasks waiting for a node on this coordinator")
                .register(registry);
        this.queueWait = Timer.builder("mesh.task.queue.wait")
                .description("Time from a task's submission until a node started it")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        this.runDuration = Timer.builder("mesh.task.run.duration")
                .description("Time a task ran on its node, by final status")
                .serviceLevelObjectives(BUCKETS)
                .withRegistry(registry);
        this.finished = Counter.builder("mesh.tasks.finished")
                .description("Tasks that ended, by final status")
                .withRegistry(registry);
    }

    @EventListener
    void onStarted(TaskStarted started) {
        this.queueWait.record(started.waited());
    }

    @EventListener
    void onFinished(TaskFinished event) {
        String status = event.status().wireName();
        this.finished.withTags("status", status).increment();
        if (event.ran() != null) {
            this.runDuration.withTags("status", status).record(event.ran());
        }
    }

    private double count(TaskStatus status) {
        long now = System.nanoTime();
        long last = this.countedAt.get();
        if (last == Long.MIN_VALUE || now - last > 1_000_000_000L) {
            if (this.countedAt.compareAndSet(last, now)) {
                this.counts.set(this.repository.countByStatus());
            }
        }
        return this.counts.get().getOrDefault(status, 0L);
    }
}
