package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.coordinator.tls.TlsStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The overview: mesh totals, every node and the latest messages. */
@Controller
class OverviewController {

    private final MeshOverview overview;

    private final ObjectProvider<TlsStatus> tls;

    OverviewController(MeshOverview overview, ObjectProvider<TlsStatus> tls) {
        this.overview = overview;
        this.tls = tls;
    }

    @GetMapping(DashboardPaths.ROOT)
    String overview(Model model) {
        fill(model);
        TlsStatus status = this.tls.getIfAvailable();
        CaFingerprint fingerprint = (status != null) ? status.caFingerprint() : null;
        model.addAttribute("caFingerprint", (fingerprint != null) ? fingerprint.toString() : null);
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
