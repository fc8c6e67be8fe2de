package io.clawmesh.cli.output;

/**
 * Makes text that came from a node (or through the coordinator from one) safe to print on a terminal: control
 * characters (C0, DEL, C1, so ESC and CSI too) are shown as visible escapes such as {@code \u001b}, so a node-supplied
 * name, os or reply cannot move the cursor, clear the screen, set the title or forge a line.
 */
public final class Untrusted {

    private Untrusted() {}

    /** For a table cell or one line: every control character escaped, newlines and tabs included. */
    public static String cell(String text) {
        return escape(text, false);
    }

    /** For multi-line text such as a reply: newlines and tabs kept, every other control character escaped. */
    public static String text(String text) {
        return escape(text, true);
    }

    /**
     * For a line of JSON passed through as received: control characters become JSON {@code \}{@code u} escapes (valid
     * inside a string; outside one they were invalid anyway), and line breaks and tabs between tokens a space.
     */
    public static String jsonLine(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (ch == '\n' || ch == '\r' || ch == '\t') {
                out.append(' ');
            } else if (isControl(ch)) {
                out.append(String.format("\\u%04X", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). */
    static boolean isControl(char ch) {
        return ch < 0x20 || (ch >= 0x7f && ch <= 0x9f);
    }

    private static String escape(String text, boolean keepLines) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean kept = keepLines && (ch == '\n' || ch == '\t');
            if (isControl(ch) && !kept) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(
                        switch (ch) {
                            case '\n' -> "\\n";
                            case '\r' -> "\\r";
                            case '\t' -> "\\t";
                            default -> String.format("\\u%04x", (int) ch);
                        });
            } else if (out != null) {
                out.append(ch);
            }
        }
        return (out != null) ? out.toString() : text;
    }
}
