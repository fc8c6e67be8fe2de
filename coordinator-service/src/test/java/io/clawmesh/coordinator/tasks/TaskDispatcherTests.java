package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.routing.NodeSelector;
import io.clawmesh.coordinator.routing.RouteCandidates;
import io.clawmesh.coordinator.routing.RouteResolver;
import io.clawmesh.coordinator.routing.RoutingFixtures;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatch gap: a run that gives its slot back sends the next queued task itself, on its own thread. */
class TaskDispatcherTests {

    private final Node node = RoutingFixtures.node(1, 1, 0);

    private final TaskQueue queue = new TaskQueue();

    private final InflightTracker inflight = new InflightTracker(Clock.systemUTC());

    /**
     * Listens to a tracker of its own, so that a release on {@link #inflight} wakes no dispatcher thread: what leaves
     * below left on the caller's thread.
     */
    private final DispatchSignal signal = new DispatchSignal(new InflightTracker(Clock.systemUTC()), Clock.systemUTC());

    private final RouteResolver resolver = mock();

    private final TaskRunner runner = mock();

    private final TaskDispatcher dispatcher = new TaskDispatcher(
            this.queue,
            this.resolver,
            new NodeSelector(this.inflight),
            this.inflight,
            this.signal,
            this.runner,
            mock());

    TaskDispatcherTests() {
        given(this.resolver.resolveTask(isNull(), isNull()))
                .willReturn(new RouteCandidates(null, Strategy.LEAST_BUSY, List.of(this.node)));
    }

    @AfterEach
    void stop() {
        this.dispatcher.stop();
    }

    @Test
    void slotFreedByRunWhenATaskWaitsShouldSendItOnTheCallersThreadBeforeReturning() {
        this.dispatcher.start();
        // its first pass found nothing; nothing signals it again, so a pass now can only be the run's own
        await().until(this.dispatcher::asleep);
        this.inflight.increment(this.node.id());
        this.queue.add(TaskFixtures.queued(TaskFixtures.id(1), 5, 1));
        AtomicReference<Thread> launchedOn = new AtomicReference<>();
        willAnswer((invocation) -> {
                    launchedOn.set(Thread.currentThread());
                    return null;
                })
                .given(this.runner)
                .launch(any(), any());

        this.inflight.decrement(this.node.id());
        this.signal.slotFreedByRun();

        assertThat(launchedOn.get()).isSameAs(Thread.currentThread());
        assertThat(this.queue.size()).isZero();
        assertThat(this.inflight.get(this.node.id())).isEqualTo(1);
    }

    @Test
    void slotFreedByRunWhenTheDispatcherIsStoppedShouldSendNothing() {
        this.dispatcher.start();
        this.dispatcher.stop();
        this.queue.add(TaskFixtures.queued(TaskFixtures.id(1), 5, 1));

        this.signal.slotFreedByRun();

        verify(this.runner, never()).launch(any(), any());
        assertThat(this.queue.size()).isOne();
    }
}
