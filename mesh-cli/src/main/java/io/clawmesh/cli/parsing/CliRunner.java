package io.clawmesh.cli.parsing;

import io.clawmesh.cli.support.UsageException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.jline.JLineInputProvider;
import org.springframework.shell.jline.JLineInputReader;

/**
 * Replaces Spring Shell's runner: with a command on the command line it runs that one command and remembers its exit
 * code for {@code main}; without, it runs the interactive shell (JLine: history, completion) until {@code exit},
 * {@code quit} or end of input. Spring Shell 4.0's own one-shot runner re-joins the arguments into one string
 * (losing quoting) and always exits 0.
 */
public class CliRunner implements ApplicationRunner, ExitCodeGenerator {

    private final CommandLineExecutor executor;

    private final ObjectProvider<JLineInputProvider> inputProvider;

    private final boolean interactive;

    private volatile int exitCode;

    public CliRunner(
            CommandLineExecutor executor, ObjectProvider<JLineInputProvider> inputProvider, boolean interactive) {
        this.executor = executor;
        this.inputProvider = inputProvider;
        this.interactive = interactive;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (this.interactive) {
            shell();
            return;
        }
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, false, StandardCharsets.UTF_8);
        // main hands Boot the whole command line and turns the launch flags into properties; the command is the rest
        List<String> words = GlobalOptions.split(List.of(args.getSourceArgs())).rest();
        this.exitCode =
                this.executor.execute(words, out, err, new InputReader() {}).code();
    }

    private void shell() {
        JLineInputProvider input = this.inputProvider.getObject();
        PrintWriter out = input.getLineReader().getTerminal().writer();
        out.println("claw-mesh shell: type help for the commands, TAB completes, exit leaves.");
        out.flush();
        InputReader reader = new JLineInputReader(input.getLineReader());
        while (true) {
            String line;
            try {
                line = input.readInput();
            } catch (UserInterruptException ex) {
                continue;
            } catch (EndOfFileException ex) {
                break;
            }
            if (line == null) {
                break;
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equals("exit") || trimmed.equals("quit")) {
                break;
            }
            try {
                this.executor.execute(CommandLineWords.split(trimmed), out, out, reader);
            } catch (UsageException ex) {
                out.println("claw-mesh: " + ex.getMessage());
                out.flush();
            }
        }
    }

    @Override
    public int getExitCode() {
        return this.exitCode;
    }
}
