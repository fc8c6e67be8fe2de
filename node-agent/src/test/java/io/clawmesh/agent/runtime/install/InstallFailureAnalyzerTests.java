package io.clawmesh.agent.runtime.install;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A failed auto-install ends the start with what went wrong and what to run by hand. */
class InstallFailureAnalyzerTests {

    @Test
    void analyzeShouldSayWhatFailedAndWhatToRunByHand() {
        InstallFailedException cause = new InstallFailedException("checksum mismatch", "curl -fLO x && install y");

        FailureAnalysis analysis = new InstallFailureAnalyzer()
                .analyze(new BeanCreationException("runtimeSelection", "Instantiation failed", cause));

        assertThat(analysis.getDescription()).isEqualTo("Auto-install failed: checksum mismatch");
        assertThat(analysis.getAction()).startsWith("Do it by hand: curl -fLO x && install y\n");
        assertThat(cause).hasMessage("checksum mismatch. To do it by hand: curl -fLO x && install y");
    }
}
