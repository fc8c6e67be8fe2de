package io.clawmesh.cli.output;

import java.io.PrintWriter;
import java.util.function.Supplier;

/** Prints a command's result: its JSON shape for {@code --output json}, else the text for people. */
public final class Output {

    private Output() {}

    /** Prints {@code value} as JSON or {@code text} (built only when needed), ending with one newline, and flushes. */
    public static void print(PrintWriter out, boolean json, Object value, Supplier<String> text) {
        String rendered = json ? Json.pretty(value) : text.get();
        out.print(rendered.endsWith("\n") ? rendered : rendered + "\n");
        out.flush();
    }
}
