package io.clawmesh.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.agent.runtime.EchoRuntime;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.node.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

class RuntimeMeteringTests {

    private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    private final RuntimeMeteringPostProcessor postProcessor = postProcessor();

    @Test
    void sendWhenRuntimeAnswersShouldCountOkAndRecordTheDurationInSeconds() {
        AgentRuntime runtime = wrap(new EchoRuntime());

        runtime.send(request("m1", NOW.plusSeconds(60)));
        runtime.send(request("m2", NOW.plusSeconds(60)));

        String scrape = this.registry.scrape();
        assertThat(scrape)
                .contains("mesh_agent_messages_total{outcome=\"ok\",runtime=\"echo\"} 2.0")
                .contains("mesh_agent_messages_total{outcome=\"error\",runtime=\"echo\"} 0.0")
                .contains("mesh_agent_runtime_duration_seconds_count{outcome=\"ok\",runtime=\"echo\"} 2")
                .contains("mesh_agent_runtime_duration_seconds_bucket{outcome=\"ok\",runtime=\"echo\",le=\"+Inf\"} 2");
    }

    @Test
    void streamShouldDelegateSoThePiecesFlowAndCountTheMessageOnceAsOk() {
        AgentRuntime runtime = wrap(new EchoRuntime());
        List<String> pieces = new ArrayList<>();

        String reply = runtime.stream(request("m1", NOW.plusSeconds(60)), pieces::add);

        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo(reply).isEqualTo("[claw-mesh echo] hello");
        assertThat(this.registry.scrape())
                .contains("mesh_agent_messages_total{outcome=\"ok\",runtime=\"echo\"} 1.0")
                .contains("mesh_agent_runtime_duration_seconds_count{outcome=\"ok\",runtime=\"echo\"} 1");
    }

    @Test
    void streamWhenTheRunIsAbortedShouldCountErrorAndRethrow() {
        AgentRuntime runtime = wrap(new EchoRuntime());
        RuntimeRequest request = request("m1", NOW.plusSeconds(60));
        request.abort().abort("canceled");

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.stream(request, (piece) -> {}))
                .withMessageContaining("aborted: canceled");

        assertThat(this.registry.scrape())
                .contains("mesh_agent_messages_total{outcome=\"error\",runtime=\"echo\"} 1.0");
    }

    @Test
    void sendWhenRuntimeFailsShouldCountErrorAndRethrow() {
        AgentRuntime runtime = wrap(failing("openclaw"));

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("m1", NOW.plusSeconds(60))));

        assertThat(this.registry.scrape())
                .contains("mesh_agent_messages_total{outcome=\"error\",runtime=\"openclaw\"} 1.0")
                .contains("mesh_agent_messages_total{outcome=\"ok\",runtime=\"openclaw\"} 0.0");
    }

    @Test
    void sendWhenRuntimeFailsAfterTheDeadlineShouldCountTimeout() {
        AgentRuntime runtime = wrap(failing("openclaw"));

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("m1", NOW.minusSeconds(1))));

        assertThat(this.registry.scrape())
                .contains("mesh_agent_messages_total{outcome=\"timeout\",runtime=\"openclaw\"} 1.0")
                .contains("mesh_agent_messages_total{outcome=\"error\",runtime=\"openclaw\"} 0.0");
    }

    @Test
    void tryEnterWhenEverySlotIsTakenShouldCountRejected() {
        this.beans.registerSingleton("agentRuntime", wrap(new EchoRuntime()));
        CapacityGate gate =
                (CapacityGate) this.postProcessor.postProcessAfterInitialization(new CapacityGate(1), "gate");

        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isFalse();
        assertThat(gate.tryEnter()).isFalse();
        gate.exit();
        assertThat(gate.tryEnter()).isTrue();

        assertThat(gate.capacity()).isEqualTo(1);
        assertThat(this.registry.scrape())
                .contains("mesh_agent_messages_total{outcome=\"rejected\",runtime=\"echo\"} 2.0");
    }

    @Test
    void sendWhenOneMeteredRuntimeDelegatesToAnotherShouldCountTheMessageOnce() {
        AgentRuntime adapter = wrap(new EchoRuntime());
        AgentRuntime selector = wrap(new AgentRuntime() {
            @Override
            public RuntimeInfo info() {
                return adapter.info();
            }

            @Override
            public String send(RuntimeRequest request) {
                return adapter.send(request);
            }
        });

        selector.send(request("m1", NOW.plusSeconds(60)));

        assertThat(this.registry.scrape())
                .contains("mesh_agent_messages_total{outcome=\"ok\",runtime=\"echo\"} 1.0")
                .contains("mesh_agent_runtime_duration_seconds_count{outcome=\"ok\",runtime=\"echo\"} 1");
    }

    @Test
    void postProcessWhenAlreadyMeteredShouldNotWrapTwice() {
        AgentRuntime once = wrap(new EchoRuntime());

        assertThat(this.postProcessor.postProcessAfterInitialization(once, "agentRuntime"))
                .isSameAs(once);
        assertThat(this.postProcessor.postProcessAfterInitialization("other bean", "other"))
                .isEqualTo("other bean");
    }

    private AgentRuntime wrap(AgentRuntime runtime) {
        return (AgentRuntime) this.postProcessor.postProcessAfterInitialization(runtime, "agentRuntime");
    }

    private RuntimeMeteringPostProcessor postProcessor() {
        this.beans.registerSingleton("agentMeters", new AgentMeters(this.registry));
        this.beans.registerSingleton("clock", Clock.fixed(NOW, ZoneOffset.UTC));
        return new RuntimeMeteringPostProcessor(
                this.beans.getBeanProvider(AgentMeters.class),
                this.beans.getBeanProvider(AgentRuntime.class),
                this.beans.getBeanProvider(Clock.class));
    }

    private static RuntimeRequest request(String id, Instant deadline) {
        return new RuntimeRequest(id, "hello", "test", null, deadline);
    }

    private static AgentRuntime failing(String kind) {
        return new AgentRuntime() {
            @Override
            public RuntimeInfo info() {
                return new RuntimeInfo(kind, null, false);
            }

            @Override
            public String send(RuntimeRequest request) {
                throw new RuntimeFailureException(kind, "connection refused");
            }
        };
    }
}
