package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.events.EventStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The activity page: the recent events of this coordinator (nodes joining, changing status and leaving, rule changes,
 * routed and failed messages), newest first, from the event stream's replay buffer.
 */
@Controller
class ActivityController {

    /** Shown on the page; the buffer itself keeps {@code mesh.events.buffer-size} events. */
    static final int LIMIT = 200;

    private final EventStream events;

    private final Clock clock;

    ActivityController(EventStream events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @GetMapping(DashboardPaths.ACTIVITY)
    String activity(Model model) {
        fill(model);
        return "dashboard/activity";
    }

    /** The live part of the activity page. */
    @GetMapping(DashboardPaths.LIVE + "/activity")
    String live(Model model) {
        fill(model);
        return "dashboard/activity :: live";
    }

    private void fill(Model model) {
        Instant now = this.clock.instant();
        List<ActivityEntry> entries = this.events.recent(LIMIT).reversed().stream()
                .map((event) -> ActivityEntry.of(event, now))
                .toList();
        model.addAttribute("page", "activity");
        model.addAttribute("entries", entries);
    }
}
