package io.clawmesh.common.json;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Turns off Jackson's scalar coercion (SPEC §18 "strict input"): a number or boolean where text belongs, text where a
 * number or boolean belongs, and a number where a boolean belongs are wrong types, not values to convert. Jackson then
 * fails with a {@code MismatchedInputException} that carries the field's path, so the caller gets a 400 naming it.
 */
public final class StrictJson {

    private StrictJson() {}

    /** Applies the strict scalar rules to {@code builder} and returns it. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        // "7" for a number or a boolean, 1 for a boolean: ALLOW_COERCION_OF_SCALARS covers every scalar target but text
        builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // 42, 4.2 and true for text are allowed by default even with the feature off: refuse them explicitly
        builder.withCoercionConfig(
                LogicalType.Textual,
                (config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
        return builder;
    }

    /** A new mapper with the strict scalar rules and otherwise Jackson's defaults. */
    public static JsonMapper mapper() {
        return configure(JsonMapper.builder()).build();
    }
}
