package io.clawmesh.cli.output;

import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/**
 * Prints a reply as its pieces arrive ({@code delta} events), escaped, and keeps what was printed, so that a resumed
 * stream that repeats text prints it once, and a final response that holds more than the deltas did prints the rest.
 * Offsets are in UTF-16 chars, as the event ids {@code d<offset>} of ADR 0008 count them.
 */
public final class ReplyPrinter {

    private final PrintWriter out;

    private final StringBuilder printed = new StringBuilder();

    private boolean midLine;

    public ReplyPrinter(PrintWriter out) {
        this.out = out;
    }

    /**
     * Prints a piece of the reply.
     *
     * @param endOffset the length of the reply after this piece, when the event said ({@code d<offset>}); a piece that
     *     ends at or before what was printed already is a repeat and only its new part is printed
     */
    public void delta(String text, @Nullable Long endOffset) {
        String fresh = text;
        if (endOffset != null) {
            long newChars = endOffset - this.printed.length();
            if (newChars <= 0) {
                return;
            }
            if (newChars < text.length()) {
                fresh = text.substring(text.length() - (int) newChars);
            }
        }
        write(fresh);
    }

    /** The final response: prints whatever of it the deltas did not (all of it when no delta came). */
    public void complete(@Nullable String response) {
        if (response != null
                && response.length() > this.printed.length()
                && response.startsWith(this.printed.toString())) {
            write(response.substring(this.printed.length()));
        } else if (response != null && this.printed.isEmpty()) {
            write(response);
        }
    }

    /** Ends the reply's last line, if it is open, so that what follows starts on a line of its own. */
    public void endLine() {
        if (this.midLine) {
            this.out.println();
            this.out.flush();
            this.midLine = false;
        }
    }

    /** Prints a whole line (a status line), after ending the reply's open line. */
    public void line(String line) {
        endLine();
        this.out.println(line);
        this.out.flush();
    }

    /** How many chars of the reply were printed: where a resume continues. */
    public int length() {
        return this.printed.length();
    }

    private void write(String text) {
        if (text.isEmpty()) {
            return;
        }
        this.printed.append(text);
        this.out.print(Untrusted.text(text));
        this.out.flush();
        this.midLine = !text.endsWith("\n");
    }
}
