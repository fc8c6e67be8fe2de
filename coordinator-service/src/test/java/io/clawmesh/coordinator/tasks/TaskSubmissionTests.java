package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.TaskRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskSubmissionTests {

    private static TaskSubmission of(TaskRequest request) {
        return TaskSubmission.of(request, null, Duration.ofMinutes(30), Duration.ofHours(24));
    }

    private static TaskRequest request(String content, Integer priority, String timeout, String match) {
        return new TaskRequest(content, null, null, null, match, priority, timeout);
    }

    @Test
    void defaultsShouldBeFilledInAndTheHashShouldNotDependOnHowTheyWereSpelled() {
        TaskSubmission implicit = of(request("hi", null, null, null));
        TaskSubmission explicit = of(request("hi", 5, "PT30M", null));
        TaskSubmission spring = of(request("hi", 5, "30m", null));

        assertThat(implicit.priority()).isEqualTo(5);
        assertThat(implicit.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(implicit.source()).isEqualTo("api");
        assertThat(explicit.hash()).isEqualTo(implicit.hash()).isEqualTo(spring.hash());
        assertThat(of(request("hi", 6, null, null)).hash()).isNotEqualTo(implicit.hash());
    }

    @Test
    void matchShouldBeParsedIntoItsCanonicalForm() {
        TaskSubmission submission = of(request("hi", null, null, "os:LINUX, gpu:yes"));

        assertThat(submission.match()).isEqualTo("gpu:true,os:linux");
        assertThat(submission.parsedMatch()).isNotNull();
    }

    @Test
    void outOfRangeValuesShouldBeRefusedNamingTheField() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> of(request("hi", -1, null, null)))
                .withMessageContaining("priority");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> of(request("hi", null, "500ms", null)))
                .withMessageContaining("timeout");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> of(request("hi", null, "25h", null)))
                .withMessageContaining("max-timeout");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> of(request("hi", null, null, "os:plan9")))
                .withMessageContaining("requires_os");
    }
}
