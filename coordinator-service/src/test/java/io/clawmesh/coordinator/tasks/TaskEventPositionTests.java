package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.InvalidInputException;
import org.junit.jupiter.api.Test;

class TaskEventPositionTests {

    @Test
    void idsOfTheStreamShouldParseIntoTheirPosition() {
        assertThat(TaskEventPosition.parse(null)).isEqualTo(TaskEventPosition.START);
        assertThat(TaskEventPosition.parse("q").stage()).isEqualTo(TaskEventPosition.QUEUED);
        assertThat(TaskEventPosition.parse("a3")).isEqualTo(new TaskEventPosition(TaskEventPosition.ASSIGNED, 3, 0));
        assertThat(TaskEventPosition.parse("s").stage()).isEqualTo(TaskEventPosition.STARTED);
        assertThat(TaskEventPosition.parse("d42")).isEqualTo(new TaskEventPosition(TaskEventPosition.TEXT, 0, 42));
        assertThat(TaskEventPosition.parse("end").stage()).isEqualTo(TaskEventPosition.ENDED);
    }

    @Test
    void otherIdsShouldBeRefused() {
        for (String garbage : new String[] {"x", "a", "a0", "d", "d-4", "qq", "a1x", "\u0000"}) {
            assertThatExceptionOfType(InvalidInputException.class)
                    .as(garbage)
                    .isThrownBy(() -> TaskEventPosition.parse(garbage));
        }
    }

    @Test
    void cursorsShouldRoundTripAndGarbageShouldBeRefused() {
        assertThat(TaskBoard.decodeCursor(TaskBoard.encodeCursor(1234))).isEqualTo(1234);
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> TaskBoard.decodeCursor("!!"));
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> TaskBoard.decodeCursor("c2VxOjA"));
    }
}
