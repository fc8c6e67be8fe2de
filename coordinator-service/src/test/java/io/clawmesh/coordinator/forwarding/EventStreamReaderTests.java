package io.clawmesh.coordinator.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.coordinator.forwarding.EventStreamReader.Event;
import io.clawmesh.coordinator.forwarding.EventStreamReader.LimitExceededException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream parser on fixed bytes: the line endings, fields and bounds of the HTML standard's format. */
class EventStreamReaderTests {

    @Test
    void nextShouldReadEventsAndEachOnesIdWhateverTheLineEndings() throws IOException {
        String stream = "id: 0\nevent: delta\ndata: {\"text\":\"a\"}\n\n"
                + "event: delta\r\ndata: {\"text\":\"b\"}\r\n\r\n" + "id: end\revent: done\rdata: {}\r\r";

        assertThat(events(stream, 1024, 4096))
                .containsExactly(
                        new Event("0", "delta", "{\"text\":\"a\"}"),
                        new Event(null, "delta", "{\"text\":\"b\"}"),
                        new Event("end", "done", "{}"));
    }

    @Test
    void nextShouldSkipCommentsRetriesAndUnknownFieldsAndJoinDataLines() throws IOException {
        String stream = ": keep-alive\n\n" + "id: 7\nretry: 1000\nfoo: bar\nevent:delta\ndata:first\ndata: second\n\n";

        assertThat(events(stream, 1024, 4096)).containsExactly(new Event("7", "delta", "first\nsecond"));
    }

    @Test
    void nextShouldNameAnEventWithoutTypeMessageAndSkipOneWithoutData() throws IOException {
        String stream = "event: lonely\n\n" + "data: x\n\n";

        assertThat(events(stream, 1024, 4096)).containsExactly(new Event("message", "x"));
    }

    @Test
    void nextShouldDropAnEventCutOffByTheEndOfTheStream() throws IOException {
        String stream = "event: delta\ndata: {\"text\":\"a\"}\n\nevent: done\ndata: {\"response\"";

        assertThat(events(stream, 1024, 4096)).containsExactly(new Event("delta", "{\"text\":\"a\"}"));
    }

    @Test
    void nextShouldKeepMultiByteCharactersWhole() throws IOException {
        assertThat(events("data: grüße 🌍\n\n", 1024, 4096)).containsExactly(new Event("message", "grüße 🌍"));
    }

    @Test
    void nextWhenAnEventIsOverItsBoundShouldThrow() {
        String stream = "data: " + "x".repeat(100) + "\n\n";

        assertThatExceptionOfType(LimitExceededException.class)
                .isThrownBy(() -> events(stream, 64, 4096))
                .withMessage("an event is larger than 64 bytes");
    }

    @Test
    void nextWhenTheStreamIsOverItsBoundShouldThrowEvenWithSmallEvents() {
        String stream = "data: x\n\n".repeat(100);

        assertThatExceptionOfType(LimitExceededException.class)
                .isThrownBy(() -> events(stream, 64, 500))
                .withMessage("the stream is larger than 500 bytes");
    }

    private static List<Event> events(String stream, int maxEvent, long maxStream) throws IOException {
        // one byte at a time, as a slow network delivers it
        InputStream bytes = new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, 1));
            }
        };
        EventStreamReader reader = new EventStreamReader(bytes, maxEvent, maxStream);
        List<Event> events = new ArrayList<>();
        for (Event event = reader.next(); event != null; event = reader.next()) {
            events.add(event);
        }
        return events;
    }
}
