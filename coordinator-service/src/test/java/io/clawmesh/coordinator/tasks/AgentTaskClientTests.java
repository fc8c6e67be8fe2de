package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.task.AgentTaskRequest;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.events.NodeRemovedElsewhere;
import io.clawmesh.coordinator.forwarding.EventStreamReader.Event;
import io.clawmesh.coordinator.forwarding.ForwardingFixtures;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task client's connections to an agent (issue 13): a stream read to its final event gives its connection back for
 * the node's next task, a stream left early drops it, and an agent that keeps a stream open after its final event
 * costs at most the bounded wait and its connection. Its delivery credential is computed once per node and token.
 */
class AgentTaskClientTests {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final AgentTaskClient client = new AgentTaskClient(
            new EndpointPolicy(true),
            ForwardingFixtures.forwarding(Duration.ofSeconds(5), 3),
            JsonMapper.builder().build());

    private final FakeTaskAgent agent = FakeTaskAgent.start();

    private final Node node = ForwardingFixtures.node("node-00000000000000a1", "agent-1", this.agent.endpoint());

    @AfterEach
    void tearDown() {
        this.client.destroy();
        this.agent.close();
    }

    @Test
    void streamsReadToTheirFinalEventShouldReuseOneConnectionForTheNextTasks() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(runToFinalEvent("task-reuse-" + i)).endsWith("succeeded");
        }

        assertThat(this.agent.count("POST /api/v1/tasks")).isEqualTo(3);
        assertThat(this.agent.connections())
                .as("connections opened for three tasks")
                .isEqualTo(1);
    }

    @Test
    void submitAfterReRegistrationShouldPresentTheNewCredentialAndRemovalShouldForgetIt() throws Exception {
        Node after = new Node(
                this.node.id(),
                this.node.name(),
                this.node.endpoint(),
                this.node.capabilities(),
                this.node.status(),
                this.node.lastHeartbeat(),
                this.node.runtime(),
                this.node.reportedInflight(),
                this.node.capacity(),
                NodeCredentials.hash("the token of the re-registration"),
                this.node.registeredAt(),
                this.node.statusChangedAt());

        runToFinalEvent("task-credential-1");
        runToFinalEvent("task-credential-2");
        try (AgentTaskClient.EventStream stream =
                this.client.submit(after, request("task-credential-3"), READ_TIMEOUT)) {
            while (stream.next() != null) {
                // to the end
            }
        }

        String before = "Bearer " + NodeCredentials.deliveryCredential(this.node.tokenHash(), this.node.id());
        assertThat(this.agent.authorizations())
                .containsExactly(
                        before, before, "Bearer " + NodeCredentials.deliveryCredential(after.tokenHash(), after.id()));
        assertThat(this.client.cachedCredentials())
                .as("one entry per node, not per token")
                .isOne();
        this.client.onNodeRemoved(new NodeRemoved(after.ref(), "test", MutableClock.START));
        assertThat(this.client.cachedCredentials()).isZero();
        runToFinalEvent("task-credential-4");
        this.client.onNodeRemovedElsewhere(new NodeRemovedElsewhere(after.id()));
        assertThat(this.client.cachedCredentials())
                .as("removed by another replica")
                .isZero();
    }

    @Test
    void aStreamLeftBeforeItsFinalEventShouldDropItsConnection() throws Exception {
        this.agent.holdAll(true);
        try (AgentTaskClient.EventStream stream = this.client.submit(this.node, request("task-left-1"), READ_TIMEOUT)) {
            assertThat(stream.next()).extracting(Event::type).isEqualTo("started");
        }
        this.agent.holdAll(false);

        assertThat(runToFinalEvent("task-left-2")).endsWith("succeeded");

        assertThat(this.agent.connections())
                .as("the left stream's connection is not reused")
                .isEqualTo(2);
    }

    @Test
    void anAgentThatKeepsAStreamOpenAfterItsFinalEventShouldCostTheBoundedWaitAndTheConnection() throws Exception {
        this.agent.lingerAfterFinal(10_000);

        long begin = System.nanoTime();
        assertThat(runToFinalEvent("task-linger-1")).endsWith("succeeded");
        long tookMillis = (System.nanoTime() - begin) / 1_000_000;
        this.agent.lingerAfterFinal(0);
        assertThat(runToFinalEvent("task-linger-2")).endsWith("succeeded");

        assertThat(tookMillis)
                .as("close() waits for the end at most END_WAIT_MILLIS")
                .isGreaterThanOrEqualTo(AgentTaskClient.EventStream.END_WAIT_MILLIS)
                .isLessThan(AgentTaskClient.EventStream.END_WAIT_MILLIS + 5_000);
        assertThat(this.agent.connections())
                .as("the lingering stream's connection is dropped")
                .isEqualTo(2);
    }

    /** Submits a task, reads its stream to the final event as a task run does, and closes it; the event names. */
    private List<String> runToFinalEvent(String taskId) throws Exception {
        List<String> names = new ArrayList<>();
        try (AgentTaskClient.EventStream stream = this.client.submit(this.node, request(taskId), READ_TIMEOUT)) {
            Event event;
            while ((event = stream.next()) != null) {
                names.add(event.type());
                if (event.type().equals("succeeded")) {
                    stream.finalEventRead();
                    break;
                }
            }
        }
        return names;
    }

    private static AgentTaskRequest request(String taskId) {
        return new AgentTaskRequest(taskId, "hello", "cli", null, MutableClock.START, 60_000L);
    }
}
