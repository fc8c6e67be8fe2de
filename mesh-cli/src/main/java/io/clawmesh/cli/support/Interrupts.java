package io.clawmesh.cli.support;

import org.jline.terminal.Terminal;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Ctrl-C during a long command. In the interactive shell it must stop the command and return to the prompt, not end
 * the shell; in one-shot mode the JVM's default (exit) is right, so nothing is installed.
 */
public class Interrupts {

    private final ObjectProvider<Terminal> terminal;

    private final boolean interactive;

    public Interrupts(ObjectProvider<Terminal> terminal, boolean interactive) {
        this.terminal = terminal;
        this.interactive = interactive;
    }

    /** Runs {@code action} on Ctrl-C until the returned handle is closed. */
    public AutoCloseable onInterrupt(Runnable action) {
        if (!this.interactive) {
            return () -> {};
        }
        Terminal current = this.terminal.getObject();
        Terminal.SignalHandler previous = current.handle(Terminal.Signal.INT, (signal) -> action.run());
        return () -> current.handle(Terminal.Signal.INT, previous);
    }
}
