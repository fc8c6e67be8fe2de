package io.clawmesh.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.RuntimeInfo;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EchoRuntimeTests {

    private final EchoRuntime runtime = new EchoRuntime();

    @Test
    void sendWhenGivenContentShouldAnswerItWithTheEchoPrefix() {
        String reply = this.runtime.send(new RuntimeRequest("msg-1", "hello mesh", "cli", null, Instant.EPOCH));

        assertThat(reply).isEqualTo("[claw-mesh echo] hello mesh");
    }

    @Test
    void infoShouldSayEchoAndConnected() {
        assertThat(this.runtime.info()).isEqualTo(new RuntimeInfo("echo", null, true));
    }
}
