package io.clawmesh.agent.capabilities;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to see whether it succeeds; a seam so tests need not spawn processes. */
@FunctionalInterface
public interface CommandProbe {

    /** Whether {@code command} exits with 0 within {@code timeout}. */
    boolean succeeds(List<String> command, Duration timeout);

    /** Runs the command as a process, discarding its output, and kills it when it overruns the timeout. */
    static CommandProbe processes() {
        return (command, timeout) -> {
            try {
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(Redirect.DISCARD)
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return false;
                }
                return process.exitValue() == 0;
            } catch (IOException ex) {
                return false;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
