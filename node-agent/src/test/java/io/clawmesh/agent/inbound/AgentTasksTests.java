package io.clawmesh.agent.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.AgentTaskRequest;
import io.clawmesh.common.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's task store with a clock the test moves and runs the test starts: states, timeouts, retention. */
class AgentTasksTests {

    private static final Instant START = Instant.parse("2026-11-23T23:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    private final StreamingRuntime runtime = new StreamingRuntime();

    private final CapacityGate gate = new CapacityGate(2);

    /** Runs queued by the store; the test starts them, on its own thread or a virtual one. */
    private final Deque<Runnable> queued = new ArrayDeque<>();

    private final Executor manual = this.queued::add;

    private AgentTasks tasks = tasks(this.manual, 100);

    @AfterEach
    void abortWhatStillRuns() {
        this.tasks.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 0);
    }

    @Test
    void submitShouldRunTheTaskAndKeepItsTextAndResponse() {
        this.runtime.delta("t-1", "Hel").delta("t-1", "lo").finish("t-1");

        AgentTasks.Admission admission = this.tasks.submit(request("t-1", 60_000L));
        assertThat(admission.started()).isTrue();
        assertThat(admission.task().progress().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(this.gate.inflight()).isOne();
        runQueued();

        AgentTask.Progress done = admission.task().progress();
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.text()).isEqualTo("Hello");
        assertThat(done.response()).isEqualTo("Hello");
        assertThat(done.error()).isNull();
        assertThat(this.gate.inflight()).isZero();
        assertThat(this.runtime.requests).singleElement().satisfies((run) -> {
            assertThat(run.messageId()).isEqualTo("t-1");
            assertThat(run.deadline()).isEqualTo(START.plusSeconds(60));
        });
    }

    @Test
    void submitOfAKnownIdShouldAttachToItsRunAndRunNothingAgain() {
        AgentTask first = this.tasks.submit(request("t-1", null)).task();

        AgentTasks.Admission again = this.tasks.submit(request("t-1", null));

        assertThat(again.started()).isFalse();
        assertThat(again.task()).isSameAs(first);
        assertThat(this.queued).hasSize(1);
        assertThat(this.gate.inflight()).isOne();
    }

    @Test
    void submitWithoutTimeoutShouldUseTheDefault() {
        AgentTask task = this.tasks.submit(request("t-1", null)).task();

        assertThat(task.deadline()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    void cancelBeforeTheRunStartsShouldEndCanceledAndNeverCallTheRuntime() {
        AgentTask task = this.tasks.submit(request("t-1", null)).task();

        this.tasks.cancel("t-1");
        runQueued();

        assertThat(task.progress().status()).isEqualTo(TaskStatus.CANCELED);
        assertThat(task.progress().error()).contains("canceled");
        assertThat(this.runtime.requests).isEmpty();
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void cancelWhileRunningShouldEndCanceledAtOnceAbortTheRunAndFreeTheSlotWhenItStops() {
        AgentTask task = this.tasks.submit(request("t-1", null)).task();
        this.runtime.delta("t-1", "partial");
        startQueuedOnVirtualThreads();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> task.progress().text().equals("partial"));

        this.tasks.cancel("t-1");

        assertThat(task.progress().status()).isEqualTo(TaskStatus.CANCELED);
        assertThat(task.progress().text()).isEqualTo("partial");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 0);
        assertThat(this.runtime.aborts).containsExactly("canceled by the coordinator");
        assertThat(task.progress().status()).isEqualTo(TaskStatus.CANCELED);
    }

    @Test
    void cancelOfAnEndedTaskShouldBeRefusedAndChangeNothing() {
        this.runtime.finish("t-1");
        AgentTask task = this.tasks.submit(request("t-1", null)).task();
        runQueued();

        assertThatExceptionOfType(TaskFinishedException.class)
                .isThrownBy(() -> this.tasks.cancel("t-1"))
                .withMessageContaining("succeeded");
        assertThat(task.progress().status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void cancelOfAnUnknownTaskShouldSayItIsNotKnown() {
        assertThatExceptionOfType(TaskNotFoundException.class).isThrownBy(() -> this.tasks.cancel("t-404"));
    }

    @Test
    void sweepAfterTheTimeoutShouldEndTheTaskTimedOutAndAbortItsRun() {
        AgentTask task = this.tasks.submit(request("t-1", 90_000L)).task();
        startQueuedOnVirtualThreads();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 1);

        this.clock.advance(Duration.ofSeconds(89));
        this.tasks.sweep();
        assertThat(task.progress().status()).isEqualTo(TaskStatus.RUNNING);

        this.clock.advance(Duration.ofSeconds(1));
        this.tasks.sweep();
        assertThat(task.progress().status()).isEqualTo(TaskStatus.TIMED_OUT);
        assertThat(task.progress().error()).isEqualTo("the task's timeout of 90000 ms passed");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 0);
        assertThat(this.runtime.aborts).containsExactly("the task's timeout of 90000 ms passed");
    }

    @Test
    void runtimeFailureShouldEndFailedWithItsReason() {
        this.runtime.fail("t-1", "gateway closed the connection");
        AgentTask task = this.tasks.submit(request("t-1", null)).task();

        runQueued();

        assertThat(task.progress().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.progress().error()).isEqualTo("fake runtime failed: gateway closed the connection");
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void runtimeFailureAfterTheDeadlineShouldEndTimedOut() {
        this.runtime.fail("t-1", "deadline passed");
        AgentTask task = this.tasks.submit(request("t-1", 1_000L)).task();
        this.clock.advance(Duration.ofSeconds(2));

        runQueued();

        assertThat(task.progress().status()).isEqualTo(TaskStatus.TIMED_OUT);
    }

    @Test
    void sweepShouldForgetEndedTasksAfterTheRetentionWindowAndKeepRunningOnes() {
        this.runtime.finish("t-ended");
        this.tasks.submit(request("t-ended", null));
        runQueued();
        this.tasks.submit(request("t-running", 7_200_000L));

        this.clock.advance(Duration.ofMinutes(59));
        this.tasks.sweep();
        assertThat(this.tasks.find("t-ended")).isPresent();

        this.clock.advance(Duration.ofMinutes(1));
        this.tasks.sweep();
        assertThat(this.tasks.find("t-ended")).isEmpty();
        assertThat(this.tasks.find("t-running")).isPresent();
    }

    @Test
    void submitBeyondTheBoundShouldForgetTheOldestEndedTasks() {
        this.tasks = tasks(this.manual, 2);
        for (String id : new String[] {"t-1", "t-2", "t-3"}) {
            this.runtime.finish(id);
            this.tasks.submit(request(id, null));
            runQueued();
        }

        assertThat(this.tasks.find("t-1")).isEmpty();
        assertThat(this.tasks.find("t-2")).isPresent();
        assertThat(this.tasks.find("t-3")).isPresent();
    }

    @Test
    void submitAtCapacityShouldBeRefusedAndStartNothing() {
        this.tasks.submit(request("t-1", null));
        this.tasks.submit(request("t-2", null));

        assertThatExceptionOfType(NodeAtCapacityException.class)
                .isThrownBy(() -> this.tasks.submit(request("t-3", null)));
        assertThat(this.tasks.find("t-3")).isEmpty();
        assertThat(this.queued).hasSize(2);
        // a known id still attaches: it takes no slot
        assertThat(this.tasks.submit(request("t-1", null)).started()).isFalse();
    }

    @Test
    void submitWhileTheRuntimeIsDownShouldBeRefusedAndTakeNoSlot() {
        this.runtime.connected = false;

        assertThatExceptionOfType(RuntimeUnavailableException.class)
                .isThrownBy(() -> this.tasks.submit(request("t-1", null)));
        assertThat(this.gate.inflight()).isZero();
        assertThat(this.tasks.find("t-1")).isEmpty();
    }

    @Test
    void submitWithBadInputShouldNameTheFieldAndStartNothing() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.tasks.submit(request(null, null)))
                .withMessageContaining("'task_id'");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.tasks.submit(request("bad id/../x", null)))
                .withMessageContaining("'task_id'");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.tasks.submit(request("t".repeat(101), null)))
                .withMessageContaining("'task_id'");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.tasks.submit(new AgentTaskRequest("t-1", "", null, null, null, null)))
                .withMessageContaining("'content'");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.tasks.submit(request("t-1", 0L)))
                .withMessageContaining("'timeout_ms'");
        assertThatExceptionOfType(MessageTooLargeException.class)
                .isThrownBy(() -> this.tasks.submit(
                        new AgentTaskRequest("t-1", "x".repeat(1024 * 1024 + 1), null, null, null, null)));
        assertThat(this.queued).isEmpty();
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void theSlotShouldBeFreeBeforeTheTaskShowsItsEndWhetherItSucceedsOrFails() {
        AtomicReference<AgentTask> watched = new AtomicReference<>();
        List<TaskStatus> atExit = new CopyOnWriteArrayList<>();
        CapacityGate recording = new CapacityGate(1) {
            @Override
            public void exit() {
                // what an event stream could show at the moment the slot comes free
                atExit.add(watched.get().progress().status());
                super.exit();
            }
        };
        AgentTasks store = new AgentTasks(
                this.runtime, recording, this.clock, Duration.ofHours(1), 100, Duration.ofMinutes(5), this.manual);
        this.runtime.delta("t-ok", "Hi").finish("t-ok").fail("t-bad", "gateway closed the connection");

        watched.set(store.submit(request("t-ok", null)).task());
        runQueued();
        watched.set(store.submit(request("t-bad", null)).task());
        runQueued();

        assertThat(atExit).containsExactly(TaskStatus.RUNNING, TaskStatus.RUNNING);
        assertThat(recording.inflight()).isZero();
        assertThat(store.find("t-ok").orElseThrow().progress().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(store.find("t-bad").orElseThrow().progress().status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void closeShouldEndRunningTasksFailedAndAbortThem() {
        AgentTask task = this.tasks.submit(request("t-1", null)).task();
        startQueuedOnVirtualThreads();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 1);

        this.tasks.close();

        assertThat(task.progress().status()).isEqualTo(TaskStatus.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 0);
        assertThat(this.runtime.aborts).singleElement().asString().contains("shut down");
    }

    private AgentTasks tasks(Executor runner, int maxRetained) {
        return new AgentTasks(
                this.runtime, this.gate, this.clock, Duration.ofHours(1), maxRetained, Duration.ofMinutes(5), runner);
    }

    private void runQueued() {
        while (!this.queued.isEmpty()) {
            this.queued.removeFirst().run();
        }
    }

    private void startQueuedOnVirtualThreads() {
        while (!this.queued.isEmpty()) {
            Thread.ofVirtual().start(this.queued.removeFirst());
        }
    }

    private static AgentTaskRequest request(@Nullable String id, @Nullable Long timeoutMs) {
        return new AgentTaskRequest(id, "hello", "cli", "s-1", START, timeoutMs);
    }
}
