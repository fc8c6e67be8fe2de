package io.clawmesh.coordinator.dashboard;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Ages for people: "just now", "12 s ago", "3 min ago". The page script keeps them current the same way. */
final class RelativeTime {

    private RelativeTime() {}

    static String ago(@Nullable Instant time, Instant now) {
        if (time == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(time, now).toSeconds());
        if (seconds < 2) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return (seconds / 60) + " min ago";
        }
        if (seconds < 86_400) {
            return (seconds / 3600) + " h ago";
        }
        return (seconds / 86_400) + " d ago";
    }
}
