package io.clawmesh.common.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a broken {@code claw-mesh.yaml} as one readable start-up failure instead of a stack trace. */
public class ConfigFileFailureAnalyzer extends AbstractFailureAnalyzer<ConfigFileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigFileException cause) {
        return new FailureAnalysis(
                "The claw-mesh config file cannot be used: " + cause.getMessage(),
                "Fix " + cause.file() + " at line " + cause.line()
                        + ", or point --config (mesh.config.file) at another file.",
                cause);
    }
}
