package io.clawmesh.agent.runtime.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamLinesTests {

    @Test
    void nextShouldSplitOnLfCrLfAndALoneCrAndKeepBlankLines() throws IOException {
        assertThat(lines("data: a\r\n\r\ndata: b\n\ndata: c\r\rlast", 100))
                .containsExactly("data: a", "", "data: b", "", "data: c", "", "last");
    }

    @Test
    void nextWhenACrLfIsSplitBetweenTwoReadsShouldEndOneLine() throws IOException {
        StreamLines lines = new StreamLines(trickle("one\r\ntwo\r\n"), 100);
        assertThat(lines.next()).isEqualTo("one");
        assertThat(lines.next()).isEqualTo("two");
        assertThat(lines.next()).isNull();
    }

    @Test
    void nextWhenACharacterAndALineSpanSeveralReadsShouldDecodeThemWhole() throws IOException {
        String long1 = "data: " + "ü€😀".repeat(300);
        StreamLines lines = new StreamLines(trickle(long1 + "\nnext\n"), 10_000);
        assertThat(lines.next()).isEqualTo(long1);
        assertThat(lines.next()).isEqualTo("next");
        assertThat(lines.next()).isNull();
    }

    @Test
    void nextWhenALineIsLongerThanTheLimitShouldFail() {
        StreamLines lines = new StreamLines(stream("x".repeat(2000) + "\n"), 1000);
        assertThatIOException().isThrownBy(lines::next).withMessageContaining("longer than 1000 bytes");
    }

    private static List<String> lines(String text, int max) throws IOException {
        StreamLines lines = new StreamLines(stream(text), max);
        List<String> all = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            all.add(line);
        }
        return all;
    }

    /** One byte per read: every multi-byte character, line and line end crosses the reads' ends. */
    private static InputStream trickle(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(1, len));
            }
        };
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
