package io.clawmesh.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clawmesh.common.message.AgentMessageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lean readers against Jackson's own: for every input, the same value or the same error with the same message, on
 * the strict mapper the agent reads the coordinator's messages with.
 */
class LeanJsonModuleTests {

    private final JsonMapper plain = StrictJson.configure(JsonMapper.builder())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final JsonMapper lean = StrictJson.configure(JsonMapper.builder())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new LeanJsonModule())
            .build();

    @Test
    void utcInstantsShouldParseAsInstantParseDoes() {
        for (String text : List.of(
                "2026-12-07T06:09:52Z",
                "2026-12-07T06:09:52.1Z",
                "2026-12-07T06:09:52.123Z",
                "2026-12-07T06:09:52.123456Z",
                "2026-12-07T06:09:52.123456789Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z",
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999Z",
                "2024-02-29T12:00:00Z")) {
            assertThat(LeanJsonModule.parseUtc(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void otherShapesShouldBeLeftToTheGeneralParser() {
        for (String text : List.of(
                "2026-12-07T06:09:52+01:00",
                "2026-12-07T06:09:52.Z",
                "2026-12-07T06:09:52.1234567890Z",
                "2026-12-07t06:09:52Z",
                "2026-12-07T06:09Z",
                "2026-02-30T06:09:52Z",
                "2026-13-01T06:09:52Z",
                "2026-12-07T24:00:00Z",
                "2026-12-07T23:59:60Z",
                "2026-1a-07T06:09:52Z",
                "+12026-12-07T06:09:52Z",
                "2026-12-07 06:09:52Z",
                "")) {
            assertThat(LeanJsonModule.parseUtc(text)).as(text).isNull();
        }
    }

    @Test
    void messagesShouldReadAsWithJacksonsOwnReaders() {
        for (String body : List.of("""
                {"id":"m-1","content":"hello","source":"cli","session_key":"s","created_at":"2026-12-07T06:09:52.123Z"}""", """
                {"id":"m-2","content":"hello","created_at":"2026-12-07T07:09:52+01:00"}""", """
                {"id":"m-3","content":"hello","created_at":1765087792.5}""", """
                {"id":"m-4","content":"hello"}""", """
                {"id":"m-5","content":"hello","created_at":null}""", """
                {"id":"m-6","content":"hello","created_at":"2026-02-30T06:09:52Z"}""", """
                {"id":"m-7","content":"hello","created_at":"yesterday"}""", """
                {"id":"m-8","content":42}""", """
                {"id":"m-9","content":"hello","extra":true}""", """
                {"id":["m-10"]}""")) {
            assertThat(read(this.lean, body, AgentMessageRequest.class))
                    .as(body)
                    .isEqualTo(read(this.plain, body, AgentMessageRequest.class));
        }
    }

    @Test
    void aRecordThatRefusesItsValuesShouldFailAsWithJacksonsOwnInstantiator() {
        String body = """
                {"name":"","weight":2}""";
        String outcome = read(this.lean, body, Checked.class);
        assertThat(outcome).startsWith("error ").contains("a name is required");
        assertThat(outcome).isEqualTo(read(this.plain, body, Checked.class));
        assertThat(read(this.lean, """
                {"name":"a","weight":2}""", Checked.class)).isEqualTo("value Checked[name=a, weight=2]");
    }

    @Test
    void aMissingPrimitiveShouldFailAsWithJacksonsOwnInstantiator() {
        String body = """
                {"name":"a"}""";
        assertThat(read(this.lean, body, Checked.class))
                .isEqualTo(read(this.plain, body, Checked.class))
                .contains("Cannot map `null` into type `int`");
    }

    @Test
    void aPublicRecordShouldBeBuiltWithoutInvokeWithArguments() {
        String body = """
                {"name":"a","generic":false}""";
        assertThat(this.lean.readValue(body, Traced.class).generic()).isFalse();
        assertThat(this.plain.readValue(body, Traced.class).generic()).isTrue();
    }

    /** The outcome of reading {@code body}: the value, or the error's type and message. */
    private static String read(JsonMapper mapper, String body, Class<?> type) {
        try {
            return "value " + Objects.toString(mapper.readValue(body, type));
        } catch (RuntimeException ex) {
            return "error " + ex.getClass().getName() + ": " + ex.getMessage();
        }
    }

    /** A record that notes whether Jackson's generic {@code MethodHandle.invokeWithArguments} built it. */
    public record Traced(
            @JsonProperty("name") String name,
            @JsonProperty("generic") boolean generic) {
        public Traced {
            generic = StackWalker.getInstance()
                    .walk((frames) ->
                            frames.anyMatch((frame) -> frame.getMethodName().equals("invokeWithArguments")));
        }
    }

    /** A record that checks its values, as some of the wire records do. */
    public record Checked(
            @JsonProperty("name") String name,
            @JsonProperty("weight") int weight) {
        public Checked {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a name is required");
            }
        }
    }
}
