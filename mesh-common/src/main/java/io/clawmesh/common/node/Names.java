package io.clawmesh.common.node;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Validation of node names, tags and skills: 1–63 characters of {@code [A-Za-z0-9._-]}. */
public final class Names {

    /** The most tags (or skills) a node may carry. */
    public static final int MAX_LABELS = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,63}");

    private Names() {}

    /** Whether {@code value} is a valid name. */
    public static boolean isValid(@Nullable String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /**
     * Checks a node name.
     *
     * @throws InvalidInputException saying what is wrong
     */
    public static String requireName(@Nullable String what, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(what + " is required");
        }
        if (!isValid(value)) {
            throw new InvalidInputException(
                    what + " '" + abbreviate(value) + "' must be 1-63 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        return value;
    }

    /**
     * Checks a list of tags or skills and removes duplicates, keeping the order.
     *
     * @throws InvalidInputException naming the first bad entry
     */
    public static List<String> requireLabels(String what, @Nullable List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LABELS) {
            throw new InvalidInputException(
                    what + " has " + values.size() + " entries; at most " + MAX_LABELS + " are allowed");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String value : values) {
            unique.add(requireName(what + " entry", value));
        }
        return List.copyOf(new ArrayList<>(unique));
    }

    /** At most 80 characters of {@code value}, control characters escaped: it is quoted back in error messages. */
    static String abbreviate(String value) {
        String shown = (value.length() <= 80) ? value : value.substring(0, 77) + "...";
        return PrintableText.escape(shown);
    }
}
