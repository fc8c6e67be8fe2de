package io.clawmesh.coordinator.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The overview: mesh totals, every node and the latest messages. */
@Controller
class OverviewController {

    private final MeshOverview overview;

    OverviewController(MeshOverview overview) {
        this.overview = overview;
    }

    @GetMapping(DashboardPaths.ROOT)
    String overview(Model model) {
        fill(model);
        return "dashboard/overview";
    }

    /** The live part of the overview, fetched again by the page script when the mesh changes. */
    @GetMapping(DashboardPaths.LIVE + "/overview")
    String live(Model model) {
        fill(model);
        return "dashboard/overview :: live";
    }

    private void fill(Model model) {
        model.addAttribute("page", "overview");
        model.addAttribute("summary", this.overview.summary());
        model.addAttribute("nodes", this.overview.nodes());
        model.addAttribute("messages", this.overview.recentMessages());
    }
}
