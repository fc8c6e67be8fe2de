package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskQueueTests {

    private final TaskQueue queue = new TaskQueue();

    @Test
    void inOrderShouldPutHigherPriorityFirstThenEarlierArrival() {
        this.queue.add(TaskFixtures.queued("task-a", 5, 1));
        this.queue.add(TaskFixtures.queued("task-b", 9, 2));
        this.queue.add(TaskFixtures.queued("task-c", 5, 3));
        this.queue.add(TaskFixtures.queued("task-d", 0, 4));
        this.queue.add(TaskFixtures.queued("task-e", 9, 5));

        assertThat(this.queue.inOrder())
                .extracting(QueuedTask::id)
                .containsExactly("task-b", "task-e", "task-a", "task-c", "task-d");
    }

    @Test
    void addingATaskTwiceShouldKeepOneEntry() {
        assertThat(this.queue.add(TaskFixtures.queued("task-a", 5, 1))).isTrue();
        assertThat(this.queue.add(TaskFixtures.queued("task-a", 5, 1))).isFalse();

        assertThat(this.queue.size()).isOne();
        assertThat(this.queue.remove("task-a")).isTrue();
        assertThat(this.queue.remove("task-a")).isFalse();
        assertThat(this.queue.inOrder()).isEmpty();
    }
}
