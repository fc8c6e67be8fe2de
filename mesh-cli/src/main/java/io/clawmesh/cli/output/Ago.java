package io.clawmesh.cli.output;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Relative times for people: {@code 12s ago}, {@code 3m ago}, {@code 2h ago}, {@code 4d ago}, {@code never}. */
public final class Ago {

    private Ago() {}

    public static String of(@Nullable Instant then, Instant now) {
        if (then == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        if (seconds < 60) {
            return seconds + "s ago";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m ago";
        }
        if (seconds < 86400) {
            return (seconds / 3600) + "h ago";
        }
        return (seconds / 86400) + "d ago";
    }

    /** A length of time for people: {@code 45s}, {@code 3m05s}, {@code 2h10m}, {@code 4d03h}. */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
        }
        return String.format("%dd%02dh", seconds / 86400, (seconds % 86400) / 3600);
    }
}
