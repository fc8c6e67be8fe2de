package io.clawmesh.agent.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.web.Problem;
import io.clawmesh.common.problem.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A runtime's failure answers 502 either way; only a real fault is logged as a warning. */
@ExtendWith(OutputCaptureExtension.class)
class ApiProblemsTests {

    @Test
    void aFailedRunShouldAnswer502AndWarn(CapturedOutput output) {
        Problem problem = ApiProblems.from(new RuntimeFailureException("openai", "connection refused"));

        assertThat(problem.type()).isEqualTo(ProblemType.RUNTIME_FAILURE);
        assertThat(output.getAll())
                .contains("WARN")
                .contains("Answering 502: openai runtime failed: connection refused");
    }

    @Test
    void aStoppedRunShouldAnswer502WithoutAWarning(CapturedOutput output) {
        Problem problem = ApiProblems.from(new RunAbortedException("openai", "canceled by the coordinator"));

        assertThat(problem.type()).isEqualTo(ProblemType.RUNTIME_FAILURE);
        assertThat(output.getAll())
                .contains("INFO")
                .contains(
                        "Answering 502 for a stopped run: openai runtime failed: aborted: canceled by the coordinator")
                .doesNotContain("WARN");
    }
}
