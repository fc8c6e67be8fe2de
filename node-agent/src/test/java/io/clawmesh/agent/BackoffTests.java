package io.clawmesh.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTests {

    @Test
    void delayShouldDoubleFromTheInitialDelayAndCapAtTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0L);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(500)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void delayWithJitterShouldStayWithinAFifthAboveTheBaseAndNeverPassTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(7));

        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(4000), Duration.ofMillis(4800));
            assertThat(backoff.delay(10)).isEqualTo(Duration.ofSeconds(60));
        }
    }
}
