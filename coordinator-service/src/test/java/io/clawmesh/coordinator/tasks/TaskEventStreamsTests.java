package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.clawmesh.common.node.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which replica serves a task's event stream: this one when it queues or runs the task, else the follower's relay. */
class TaskEventStreamsTests {

    private static final String ID = "task-0123456789abcdef0123";

    private final TaskEventWriter writer = mock();

    private final TaskStreamRelay relay = mock();

    private final TaskRunner runner = mock();

    private final TaskQueue queue = new TaskQueue();

    private final HttpServletResponse response = mock();

    private final TaskEventStreams streams = new TaskEventStreams(this.writer, this.relay, this.queue, this.runner);

    @Test
    void serveWhenTheTaskIsQueuedHereShouldWriteItWithoutAskingTheDatabaseForAFollower() throws Exception {
        this.queue.add(new QueuedTask(ID, 5, 1, null, null, null, "api", "hi", Instant.EPOCH, Instant.MAX, 0, 0));
        given(this.runner.nodeOf(ID)).willReturn(Optional.empty());

        this.streams.serve(ID, null, this.response);

        verify(this.relay, never()).follower(anyString());
        verify(this.writer).write(eq(ID), isNull(), eq(this.response));
    }

    @Test
    void serveWhenAnotherReplicaFollowsTheTaskShouldRelayItsStream() throws Exception {
        given(this.runner.nodeOf(ID)).willReturn(Optional.empty());
        given(this.relay.follower(ID)).willReturn(Optional.of("http://10.0.0.2:9180"));
        given(this.relay.relay("http://10.0.0.2:9180", ID, "s", this.response)).willReturn(true);

        this.streams.serve(ID, "s", this.response);

        verify(this.writer, never()).write(anyString(), any(), any());
    }

    @Test
    void serveWhenNoReplicaFollowsTheTaskShouldWriteThisReplicasView() throws Exception {
        given(this.runner.nodeOf(ID)).willReturn(Optional.empty());
        given(this.relay.follower(ID)).willReturn(Optional.empty());

        this.streams.serve(ID, "end", this.response);

        verify(this.writer).write(ID, "end", this.response);
    }

    @Test
    void serveWithABadPositionShouldRefuseItBeforeAnyLookUp() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.streams.serve(ID, "zzz", this.response));
        verify(this.relay, never()).follower(anyString());
    }
}
