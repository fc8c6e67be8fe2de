package io.clawmesh.common.node;

import org.jspecify.annotations.Nullable;

/**
 * Text a node supplies (its os, arch, runtime, ...) ends up in logs, events, the dashboard and terminals. Control
 * characters in it could forge a log line or drive a terminal, so they are refused on the way in and escaped wherever
 * text from a node is shown without having been checked.
 * <p>
 * Refused: ISO control characters (C0 including tab, CR and LF, DEL and C1), the Unicode line and paragraph separators
 * and the bidirectional overrides and isolates, which reorder what a terminal shows.
 */
public final class PrintableText {

    private PrintableText() {}

    /** Whether {@code c} is refused in node-supplied text. */
    public static boolean isRefused(char c) {
        return Character.isISOControl(c)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * Checks one field; {@code null} passes (absent fields are checked elsewhere).
     *
     * @throws InvalidInputException naming the field and where the character is, without echoing the text
     */
    public static @Nullable String require(String field, @Nullable String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isRefused(c)) {
                throw new InvalidInputException(String.format(
                        "%s must not contain control characters (U+%04X at position %d)", field, (int) c, i + 1));
            }
        }
        return value;
    }

    /** {@code value} with every refused character written as {@code \}{@code uXXXX}, safe for one log line. */
    public static String escape(String value) {
        StringBuilder escaped = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isRefused(c)) {
                if (escaped == null) {
                    escaped = new StringBuilder(value.length() + 16).append(value, 0, i);
                }
                escaped.append(String.format("\\u%04X", (int) c));
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return (escaped != null) ? escaped.toString() : value;
    }
}
