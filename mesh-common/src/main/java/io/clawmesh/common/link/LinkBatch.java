package io.clawmesh.common.link;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The binary messages of link version 3: one or more {@link LinkFrame}s, each its JSON in UTF-8 without a newline
 * (a compact JSON text has none: a newline inside a string is escaped), separated by a newline byte.
 */
public final class LinkBatch {

    /** Between two frames of one message. */
    public static final byte SEPARATOR = '\n';

    private LinkBatch() {}

    /**
     * The frames of a binary message ({@code length} bytes from {@code offset}), in order; empty lines are skipped.
     *
     * @throws JacksonException when a line is not a frame
     */
    public static List<LinkFrame> read(JsonMapper json, byte[] bytes, int offset, int length) {
        List<LinkFrame> frames = new ArrayList<>(1);
        int limit = offset + length;
        int start = offset;
        while (start < limit) {
            int end = start;
            while (end < limit && bytes[end] != SEPARATOR) {
                end++;
            }
            if (end > start) {
                frames.add(json.readValue(bytes, start, end - start, LinkFrame.class));
            }
            start = end + 1;
        }
        return frames;
    }
}
