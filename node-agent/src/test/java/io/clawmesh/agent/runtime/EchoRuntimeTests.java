package io.clawmesh.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.RuntimeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoRuntimeTests {

    private final EchoRuntime runtime = new EchoRuntime();

    @Test
    void sendWhenGivenContentShouldAnswerItWithTheEchoPrefix() {
        String reply = this.runtime.send(new RuntimeRequest("msg-1", "hello mesh", "cli", null, Instant.EPOCH));

        assertThat(reply).isEqualTo("[claw-mesh echo] hello mesh");
    }

    @Test
    void streamShouldPassTheReplyOnWordByWordAndAnswerTheirConcatenation() {
        List<String> pieces = new ArrayList<>();

        String reply = this.runtime.stream(
                new RuntimeRequest("msg-1", "hello  streaming mesh", "cli", null, Instant.EPOCH), pieces::add);

        assertThat(reply).isEqualTo("[claw-mesh echo] hello  streaming mesh");
        assertThat(pieces).containsExactly("[claw-mesh ", "echo] ", "hello  ", "streaming ", "mesh");
        assertThat(String.join("", pieces)).isEqualTo(reply);
    }

    @Test
    void streamWhenAbortedBeforeItStartsShouldFailSayingAbortedWithTheReasonAndPassNothing() {
        RuntimeRequest request = new RuntimeRequest("msg-1", "hello", "cli", null, Instant.EPOCH);
        request.abort().abort("canceled by the operator");
        List<String> pieces = new ArrayList<>();

        assertThatExceptionOfType(RunAbortedException.class)
                .isThrownBy(() -> this.runtime.stream(request, pieces::add))
                .withMessage("echo runtime failed: aborted: canceled by the operator")
                .satisfies((ex) -> assertThat(ex.reason()).isEqualTo("canceled by the operator"));
        assertThat(pieces).isEmpty();
    }

    @Test
    void infoShouldSayEchoAndConnected() {
        assertThat(this.runtime.info()).isEqualTo(new RuntimeInfo("echo", null, true));
    }
}
