package io.clawmesh.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

class HeapBudgetTests {

    private static final long MIB = 1 << 20;

    /** What {@code Runtime.maxMemory()} answers under the serial collector with {@code -Xmx48m}. */
    private static final long XMX_48M = 48_693_248L;

    @Test
    void requiredBytesShouldGrowBy96KibPerSlotOverA27MibBase() {
        assertThat(HeapBudget.requiredBytes(0)).isEqualTo(27 * MIB);
        assertThat(HeapBudget.requiredBytes(400)).isEqualTo(27 * MIB + 400 * 96 * 1024L);
    }

    @Test
    void checkWhenTheDefaultFlagsCarryTheCapacityShouldPass() {
        assertThatNoException().isThrownBy(() -> HeapBudget.check(4, XMX_48M));
        assertThatNoException().isThrownBy(() -> HeapBudget.check(200, XMX_48M));
    }

    @Test
    void checkWhenTheHeapCannotCarryTheCapacityShouldRefuseNamingTheHeapItNeeds() {
        assertThatExceptionOfType(HeapTooSmallException.class)
                .isThrownBy(() -> HeapBudget.check(400, XMX_48M))
                .withMessageContaining("mesh.agent.capacity=400 needs a heap of at least 65 MiB")
                .withMessageContaining("this JVM can use 47 MiB");
    }

    @Test
    void failureAnalysisShouldNameTheHeapToStartWith() {
        FailureAnalysis analysis = new HeapBudgetFailureAnalyzer()
                .analyze(new IllegalStateException(new HeapTooSmallException(400, 65, 47)));
        assertThat(analysis.getAction()).startsWith("Start the agent with -Xmx65m or more");
        assertThat(analysis.getAction()).contains("what 47 MiB carries");
    }

    @Test
    void checkWhenTheHeapIsSizedAsTheLauncherSizesItShouldPass() {
        // claw-mesh join --capacity 400: -Xmx86m, of which the serial collector can use 83.2 MiB
        assertThatNoException().isThrownBy(() -> HeapBudget.check(400, 87_228_416L));
    }

    @Test
    void checkWhenTheHeapIsUnboundedShouldPass() {
        assertThatNoException().isThrownBy(() -> HeapBudget.check(10_000, Long.MAX_VALUE));
    }
}
