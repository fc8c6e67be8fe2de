package io.clawmesh.coordinator.keys;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.PrintableText;

/**
 * A model pattern of a client key: a model name ({@code mesh/auto}, {@code mesh/node/gpu-box}) where {@code *} stands
 * for any run of characters ({@code mesh/node/*}, {@code mesh/*}).
 */
final class ModelPattern {

    static final int MAX_CHARS = 200;

    private ModelPattern() {}

    /** Whether {@code model} matches {@code pattern}. */
    static boolean matches(String pattern, String model) {
        return matches(pattern, 0, model, 0);
    }

    private static boolean matches(String pattern, int p, String model, int m) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int rest = m; rest <= model.length(); rest++) {
                    if (matches(pattern, p + 1, model, rest)) {
                        return true;
                    }
                }
                return false;
            }
            if (m >= model.length() || model.charAt(m) != c) {
                return false;
            }
            p++;
            m++;
        }
        return m == model.length();
    }

    /**
     * Checks a pattern as a key is created.
     *
     * @throws InvalidInputException when it is empty, too long, not printable, or has no {@code mesh/} prefix
     */
    static String require(String pattern) {
        String value = pattern.strip();
        if (value.isEmpty() || value.length() > MAX_CHARS) {
            throw new InvalidInputException("each model pattern must be 1-" + MAX_CHARS + " characters");
        }
        PrintableText.require("models", value);
        if (!value.startsWith("mesh/") || value.indexOf(',') >= 0) {
            throw new InvalidInputException("model pattern '" + PrintableText.escape(value)
                    + "' must name mesh models: mesh/auto, mesh/node/NAME, mesh/skill/NAME, mesh/group/NAME,"
                    + " with * for any part (mesh/node/*)");
        }
        return value;
    }
}
