package io.clawmesh.coordinator.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The activity page: what happened in the mesh lately, newest first. */
@Controller
class ActivityController {

    private final MeshOverview overview;

    ActivityController(MeshOverview overview) {
        this.overview = overview;
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
        model.addAttribute("page", "activity");
        model.addAttribute("messages", this.overview.recentMessages());
    }
}
