package io.clawmesh.cli.output;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON output for scripts: the API's own snake_case shapes, pretty-printed, or one line for streams. */
public final class Json {

    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static final JsonMapper COMPACT = JsonMapper.builder().build();

    private Json() {}

    public static String pretty(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static String line(Object value) {
        return COMPACT.writeValueAsString(value);
    }
}
