package io.clawmesh.agent.runtime.install;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a failed {@code --auto-install} into Boot's short "APPLICATION FAILED TO START" report, with what went wrong
 * and the commands to run by hand, instead of a stack trace.
 */
public class InstallFailureAnalyzer extends AbstractFailureAnalyzer<InstallFailedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InstallFailedException cause) {
        return new FailureAnalysis(
                "Auto-install failed: " + cause.reason(),
                "Do it by hand: " + cause.byHand() + "\nthen start the agent again (without --auto-install, or "
                        + "with it: an installed runtime is found and started)",
                cause);
    }
}
