package io.clawmesh.agent.runtime.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads a server-sent event stream line by line through a 512-byte buffer. It replaces a {@code BufferedReader} over
 * an {@code InputStreamReader}, whose 8 KiB of chars and 8 KiB of bytes every running task held for as long as its
 * model talked: about a third of an agent's heap per running task (bench/README.md, tenth session).
 */
final class StreamLines {

    private static final int BUFFER_BYTES = 512;

    private final InputStream stream;

    private final int maxLineBytes;

    private final byte[] buffer = new byte[BUFFER_BYTES];

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

    private int position;

    private int limit;

    /** The last line ended with {@code \r}: a {@code \n} right after it belongs to that end. */
    private boolean afterCr;

    /** @param maxLineBytes the longest line read; a longer one is an {@link IOException} */
    StreamLines(InputStream stream, int maxLineBytes) {
        this.stream = stream;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its end ({@code \n}, {@code \r\n} or a lone {@code \r}, as for server-sent events). */
    @Nullable
    String next() throws IOException {
        this.line.reset();
        while (true) {
            if (this.position == this.limit && !fill()) {
                return (this.line.size() > 0) ? text() : null;
            }
            if (this.afterCr) {
                this.afterCr = false;
                if (this.buffer[this.position] == '\n') {
                    this.position++; // the \n of a \r\n whose \r ended the previous line
                    continue;
                }
            }
            int start = this.position;
            while (this.position < this.limit
                    && this.buffer[this.position] != '\n'
                    && this.buffer[this.position] != '\r') {
                this.position++;
            }
            this.line.write(this.buffer, start, this.position - start);
            if (this.line.size() > this.maxLineBytes) {
                throw new IOException("a line of the stream is longer than " + this.maxLineBytes + " bytes");
            }
            if (this.position < this.limit) {
                this.afterCr = this.buffer[this.position] == '\r';
                this.position++;
                return text();
            }
        }
    }

    private boolean fill() throws IOException {
        int read = this.stream.read(this.buffer);
        this.position = 0;
        this.limit = Math.max(0, read);
        return read > 0;
    }

    private String text() {
        return this.line.toString(StandardCharsets.UTF_8);
    }
}
