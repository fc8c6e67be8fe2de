package io.clawmesh.cli.output;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON output for scripts: the API's own snake_case shapes, pretty-printed. Besides what JSON must escape (C0), DEL and
 * C1 are escaped too, so node-supplied text cannot reach a terminal as a raw control character (U+009B is a CSI).
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder().characterEscapes(new ControlEscapes()).build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {}

    public static String pretty(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** The value as JSON on one line, with the same escapes: one event per line for streams. */
    public static String line(Object value) {
        return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    /** JSON's standard escapes plus {@code \}{@code u007F} and {@code \}{@code u0080}–{@code \}{@code u009F}. */
    private static final class ControlEscapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;

        private final int[] ascii;

        ControlEscapes() {
            this.ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            this.ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return this.ascii;
        }

        @Override
        public @Nullable SerializableString getEscapeSequence(int ch) {
            return (ch >= 0x80 && ch <= 0x9f) ? new SerializedString(String.format("\\u%04X", ch)) : null;
        }
    }
}
