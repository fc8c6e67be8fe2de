package io.clawmesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.NodeAgentIntegrationTests.FakeCoordinatorServer;
import io.clawmesh.agent.inbound.AgentHttpServer;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.RuntimeInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Shutdown order of the whole agent: a message in flight when the context closes is answered first, and only then
 * does the node deregister.
 */
class NodeAgentShutdownIntegrationTests {

    private final FakeCoordinatorServer coordinator = FakeCoordinatorServer.start();

    private final CountDownLatch started = new CountDownLatch(1);

    private final CountDownLatch release = new CountDownLatch(1);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @AfterEach
    void stopCoordinator() {
        this.release.countDown();
        this.coordinator.server.stop(0);
    }

    @Test
    void closeWithAMessageInFlightShouldAnswerItAndThenDeregister() throws Exception {
        ConfigurableApplicationContext agent = new SpringApplicationBuilder(NodeAgentApplication.class)
                .initializers((context) -> context.getBeanFactory().addBeanPostProcessor(blockingRuntime()))
                // command-line arguments: they win over application.properties, unlike the builder's default properties
                .run(
                        "--server.address=127.0.0.1",
                        "--server.port=0",
                        "--mesh.agent.name=it-node-3",
                        "--mesh.agent.token=join-secret",
                        "--mesh.agent.heartbeat-interval=200ms",
                        "--mesh.agent.shutdown-grace=10s",
                        "--mesh.agent.coordinator-url=" + this.coordinator.url(),
                        "--mesh.agent.data-dir=" + Files.createTempDirectory("claw-mesh-agent-it"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !this.coordinator.heartbeats.isEmpty());
        int port = agent.getBean(AgentHttpServer.class).port();
        String credential = NodeCredentials.deliveryCredential(
                NodeCredentials.hash("node-token-from-fake-coordinator"), "node-0123456789abcdef");
        CompletableFuture<HttpResponse<String>> inFlight = this.http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                        .header("Authorization", "Bearer " + credential)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"msg-7\",\"content\":\"slow\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(this.started.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(agent::close);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> this.coordinator.deletions.isEmpty() && !closing.isDone());
        this.release.countDown();

        HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"response\":\"[claw-mesh echo] slow\"");
        closing.get(15, TimeUnit.SECONDS);
        assertThat(this.coordinator.deletions).hasSize(1);
    }

    /** Makes the agent's runtime wait for the test before it answers. */
    private BeanPostProcessor blockingRuntime() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof AgentRuntime runtime)) {
                    return bean;
                }
                return new AgentRuntime() {
                    @Override
                    public RuntimeInfo info() {
                        return runtime.info();
                    }

                    @Override
                    public String send(RuntimeRequest request) {
                        NodeAgentShutdownIntegrationTests.this.started.countDown();
                        try {
                            NodeAgentShutdownIntegrationTests.this.release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                        return runtime.send(request);
                    }
                };
            }
        };
    }
}
