package io.clawmesh.coordinator.mcp;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The arguments of one tool call, read with checks that name the argument and say what is wrong. The SDK validates the
 * JSON schema first; these checks hold even when a schema would let a value through.
 */
final class ToolArguments {

    private final String tool;

    private final Map<String, Object> values;

    ToolArguments(String tool, @Nullable Map<String, Object> values, Set<String> known) {
        this.tool = tool;
        this.values = (values != null) ? values : Map.of();
        Set<String> unknown = new TreeSet<>(this.values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ToolArgumentException(tool + " has no argument " + String.join(", ", unknown) + "; it takes "
                    + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
        }
    }

    /** A string that must be there and not blank. */
    String required(String name, int maxChars) {
        String value = optional(name, maxChars);
        if (value == null) {
            throw new ToolArgumentException(this.tool + " needs '" + name + "' (a string)");
        }
        return value;
    }

    /** A string that may be left out; a blank one counts as left out. */
    @Nullable
    String optional(String name, int maxChars) {
        Object value = this.values.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new ToolArgumentException(
                    "'" + name + "' of " + this.tool + " must be a string, not " + typeOf(value));
        }
        if (text.isBlank()) {
            return null;
        }
        if (text.length() > maxChars) {
            throw new ToolArgumentException("'" + name + "' of " + this.tool + " has " + text.length()
                    + " characters; at most " + maxChars + " are allowed");
        }
        return text;
    }

    /** A boolean that may be left out. */
    boolean flag(String name, boolean otherwise) {
        Object value = this.values.get(name);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Boolean flag)) {
            throw new ToolArgumentException(
                    "'" + name + "' of " + this.tool + " must be true or false, not " + typeOf(value));
        }
        return flag;
    }

    private static String typeOf(Object value) {
        return switch (value) {
            case String text -> "a string";
            case Number number -> "a number";
            case Boolean flag -> "a boolean";
            case Map<?, ?> map -> "an object";
            case Iterable<?> list -> "an array";
            default -> value.getClass().getSimpleName();
        };
    }
}
