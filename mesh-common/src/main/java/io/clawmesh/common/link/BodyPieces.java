package io.clawmesh.common.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a body into {@code body} frame pieces of at most {@link LinkFrame#MAX_DATA_CHARS} characters, never inside a
 * UTF-8 sequence or a surrogate pair, so that the pieces concatenated are the body again.
 */
public final class BodyPieces {

    private BodyPieces() {}

    /** The pieces of {@code text}, each at most {@code maxChars} long (at least 2); none for empty text. */
    public static List<String> split(String text, int maxChars) {
        if (maxChars < 2) {
            throw new IllegalArgumentException("maxChars must be at least 2");
        }
        List<String> pieces = new ArrayList<>((text.length() / maxChars) + 1);
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + maxChars);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }

    /** The pieces of UTF-8 {@code bytes}. */
    public static List<String> split(byte[] bytes, int maxChars) {
        return split(new String(bytes, StandardCharsets.UTF_8), maxChars);
    }

    /**
     * How many of the first {@code length} bytes end on a character boundary: a UTF-8 sequence cut off at the end is
     * left for the next write, so a stream can be sent in pieces as it is written.
     */
    public static int completeLength(byte[] bytes, int length) {
        int lead = length - 1;
        // a sequence is at most 4 bytes: look back for its lead byte
        while (lead >= 0 && length - lead <= 4 && (bytes[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0 || length - lead > 4) {
            return length;
        }
        int b = bytes[lead] & 0xFF;
        int needed = (b < 0x80) ? 1 : (b >= 0xF0) ? 4 : (b >= 0xE0) ? 3 : (b >= 0xC0) ? 2 : 1;
        return (length - lead >= needed) ? length : lead;
    }
}
